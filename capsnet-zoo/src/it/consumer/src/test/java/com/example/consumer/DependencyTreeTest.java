package com.example.consumer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What this project gets from capsnet4j, read from {@code mvn dependency:tree -Dverbose} (which also lists the paths
 * Maven dropped as duplicates): below capsnet-layers and capsnet-zoo there is no ND4J backend, no platform-specific
 * (classified) ND4J/JavaCPP/OpenBLAS jar, no {@code -platform} bundle, no SLF4J binding and no picocli; the backend
 * comes only from this project's own nd4j-native-platform. The capsnet-zoo library jar holds no command line.
 */
class DependencyTreeTest {

    private static final Set<String> SLF4J_BINDINGS = Set.of("org.slf4j:slf4j-simple", "org.slf4j:slf4j-log4j12",
            "org.slf4j:slf4j-jdk14", "org.slf4j:slf4j-nop", "org.slf4j:slf4j-reload4j", "ch.qos.logback:logback-classic",
            "org.apache.logging.log4j:log4j-slf4j-impl", "org.apache.logging.log4j:log4j-slf4j2-impl");

    /** One line of the tree: depth and Maven coordinates. */
    record Node(int depth, String groupId, String artifactId, String classifier, String line) {

        String key() {
            return groupId + ":" + artifactId;
        }

        boolean isNative() {
            return (groupId.equals("org.nd4j") || groupId.equals("org.bytedeco"))
                    && (!classifier.isEmpty() || artifactId.endsWith("-platform")
                    || artifactId.matches("nd4j-native|nd4j-cuda-.*"));
        }

        /** Parses {@code "|  +- (g:a:type[:classifier]:version:scope - omitted for duplicate)"}. */
        static Node parse(String line) {
            int start = 0;
            while (start < line.length() && "|+-\\ ".indexOf(line.charAt(start)) >= 0) {
                start++;
            }
            String coordinates = line.substring(start).replaceFirst("^\\(", "").split("[ )]")[0];
            String[] parts = coordinates.split(":");
            return new Node(start / 3, parts[0], parts[1], parts.length >= 6 ? parts[3] : "", line.trim());
        }
    }

    private static List<Node> tree() throws IOException {
        String file = System.getProperty("dependencyTree");
        assertNotNull(file, "run through Maven: the pom writes the tree and passes its path");
        List<Node> nodes = Files.readAllLines(Path.of(file)).stream().filter(line -> !line.isBlank())
                .map(Node::parse).collect(Collectors.toList());
        assertEquals("com.example:capsnet-consumer", nodes.get(0).key(), "the first line is this project");
        return nodes;
    }

    /** Every node that some capsnet4j artifact brings in (the subtrees below io.github.capsnet4j nodes). */
    private static List<Node> fromCapsnet(List<Node> nodes) {
        List<Node> ours = new ArrayList<>();
        int capsnetDepth = -1;
        for (Node node : nodes) {
            if (capsnetDepth >= 0 && node.depth() <= capsnetDepth) {
                capsnetDepth = -1;
            }
            if (capsnetDepth < 0 && node.groupId().equals("io.github.capsnet4j")) {
                capsnetDepth = node.depth();
            } else if (capsnetDepth >= 0) {
                ours.add(node);
            }
        }
        return ours;
    }

    @Test
    void capsnetBringsNoBackendNoNativeJarNoLoggingBindingAndNoPicocli() throws IOException {
        List<Node> ours = fromCapsnet(tree());
        assertTrue(ours.stream().anyMatch(node -> node.key().equals("org.deeplearning4j:deeplearning4j-core")),
                "the capsnet4j subtrees were found (they hold DL4J)");
        List<String> wrong = ours.stream()
                .filter(node -> node.isNative() || SLF4J_BINDINGS.contains(node.key()) || node.groupId().equals("info.picocli"))
                .map(Node::line).collect(Collectors.toList());
        assertEquals(List.of(), wrong, "capsnet4j must leave the backend and the logging binding to its users");
    }

    @Test
    void theBackendComesFromThisProjectOnly() throws IOException {
        List<Node> nodes = tree();
        assertTrue(nodes.stream().anyMatch(node -> node.depth() == 1 && node.key().equals("org.nd4j:nd4j-native-platform")));
        assertTrue(nodes.stream().anyMatch(node -> node.isNative() && !node.classifier().isEmpty()),
                "the check sees classified native jars (here: nd4j-native-platform's)");
        List<String> bindings = nodes.stream().filter(node -> SLF4J_BINDINGS.contains(node.key()) || node.groupId().equals("info.picocli"))
                .map(Node::line).collect(Collectors.toList());
        assertEquals(List.of(), bindings, "this project chose no SLF4J binding, so none may be on its classpath");
    }

    @Test
    void theZooLibraryJarHoldsNoCommandLine() {
        assertNotNull(getClass().getResource("/io/github/capsnet4j/zoo/CapsNetMnist.class"), "capsnet-zoo is on the classpath");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.capsnet4j.cli.CapsNetCli"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.capsnet4j.bench.Benchmark"));
        assertEquals(null, getClass().getResource("/io/github/capsnet4j/bench/torch_capsnet.py"));
    }
}

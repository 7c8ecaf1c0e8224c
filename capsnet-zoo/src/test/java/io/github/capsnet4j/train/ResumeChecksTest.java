package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.layers.Dense;
import io.github.capsnet4j.layers.Output;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code resume} continues a run only with the run's own settings, data and network, and only from a whole
 * checkpoint: anything else is refused with a message that names the difference or the damage and the fix,
 * and leaves the checkpoint as it was.
 */
class ResumeChecksTest {

    @TempDir
    static Path runs;
    private static Path run;
    private static byte[] checkpoint;
    private static IdxDataset train;
    private static IdxDataset test;

    /** One epoch with batch size 32, seed 1, max shift 2, on 64 training and 32 test digits. */
    @BeforeAll
    static void trainOneEpoch() throws IOException {
        train = Digits.train(64);
        test = Digits.test(32);
        run = runs.resolve("run");
        new Trainer(run, 32, 1, 2).train(Digits::smallCapsNet, train, null, test, 1, false);
        checkpoint = Files.readAllBytes(run.resolve(Trainer.CHECKPOINT));
    }

    @Test
    void refusesAnotherBatchSizeSeedOrMaxShift() {
        assertRefused(new Trainer(run, 16, 1, 2), Digits::smallCapsNet, train, test, "batch size is 32 in the run but 16 now");
        assertRefused(new Trainer(run, 32, 2, 2), Digits::smallCapsNet, train, test, "seed is 1 in the run but 2 now");
        assertRefused(new Trainer(run, 32, 1, 0), Digits::smallCapsNet, train, test, "max shift is 2 in the run but 0 now");
    }

    @Test
    void refusesOtherData() {
        assertRefused(new Trainer(run, 32, 1, 2), Digits::smallCapsNet, train.head(63), test,
                "training data is 64 images of 28x28", "but 63 images of 28x28");
        assertRefused(new Trainer(run, 32, 1, 2), Digits::smallCapsNet, train, test.head(31),
                "test data is 32 images", "but 31 images");
        assertRefused(new Trainer(run, 32, 1, 2), Digits::smallCapsNet, train, null, "test data is 32 images", "but none now");
    }

    @Test
    void refusesAnotherNetwork() {
        assertRefused(new Trainer(run, 32, 1, 2), () -> Digits.smallCapsNet(2, true), train, test,
                "routingIterations is 3 in the run but 2 now");
        assertRefused(new Trainer(run, 32, 1, 2), () -> Digits.smallCapsNet(3, false), train, test,
                "network: networkInputs is [\"image\",\"label\"] in the run but [\"image\"] now",
                "vertices/decoder1 is present in the run but absent now");
    }

    /** Whether Conv1 computes the image's gradient changes only the speed: a run continues across that setting. */
    @Test
    void continuesAcrossConv1sInputGradientSetting() throws IOException {
        Path copy = Files.createTempDirectory(runs, "copy");
        Files.write(copy.resolve(Trainer.CHECKPOINT), checkpoint);
        ComputationGraphConfiguration configuration = Digits.smallCapsNet().getConfiguration().clone();
        Convolution conv1 = (Convolution) ((LayerVertex) configuration.getVertices().get(CapsNetGraph.CONVOLUTION))
                .getLayerConf().getLayer();
        assertFalse(conv1.isInputGradient(), "CapsNetMnist's Conv1 skips the image's gradient");
        conv1.setInputGradient(true);
        new Trainer(copy, 32, 1, 2).train(() -> {
            ComputationGraph network = new ComputationGraph(configuration);
            network.init();
            return network;
        }, train, null, test, 2, true);
        assertEquals(2, Checkpoint.state(copy.resolve(Trainer.CHECKPOINT)).epochsTrained());
    }

    /**
     * DL4J's {@code DenseLayer} and {@code OutputLayer} compute the same values as {@link Dense} and {@link Output}, from
     * the same parameters: a run saved with DL4J's decoder layers (as this library's versions before them) continues.
     */
    @Test
    void continuesARunOfDl4jsDecoderLayers() throws IOException {
        String ours = Digits.smallCapsNet().getConfiguration().toJson();
        String dl4js = ours.replace(Dense.class.getName(), DenseLayer.class.getName())
                .replace(Output.class.getName(), OutputLayer.class.getName());
        assertFalse(dl4js.contains(Dense.class.getName()) || dl4js.contains(Output.class.getName()), "no layer of ours left");
        Supplier<ComputationGraph> dl4jDecoder = () -> {
            ComputationGraph network = new ComputationGraph(ComputationGraphConfiguration.fromJson(dl4js));
            network.init();
            return network;
        };
        assertTrue(dl4jDecoder.get().getLayer(CapsNetGraph.RECONSTRUCTION).getClass() == org.deeplearning4j.nn.layers.OutputLayer.class);
        Path old = Files.createTempDirectory(runs, "dl4j-decoder");
        new Trainer(old, 32, 1, 2).train(dl4jDecoder, train, null, test, 1, false);
        new Trainer(old, 32, 1, 2).train(Digits::smallCapsNet, train, null, test, 2, true);
        assertEquals(2, Checkpoint.state(old.resolve(Trainer.CHECKPOINT)).epochsTrained());
    }

    @Test
    void refusesAFolderWithoutCheckpoint() throws IOException {
        Path typo = Files.createDirectories(runs.resolve("rnu"));
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(typo, 32, 1, 2).train(Digits::smallCapsNet, train, null, test, 2, true));
        assertMessage(e, "no checkpoint", "rnu", "drop --resume");
        assertTrue(!Files.exists(typo.resolve(Trainer.CHECKPOINT)), "no run was started");
    }

    @Test
    void refusesATruncatedEmptyOrForeignCheckpoint() throws IOException {
        assertRefusedCheckpoint(Arrays.copyOf(checkpoint, checkpoint.length / 2), "cannot be used: it is truncated or damaged");
        assertRefusedCheckpoint(new byte[0], "cannot be used: it is empty");
        assertRefusedCheckpoint("not a zip".getBytes(), "cannot be used: it is not a zip archive");
        Path foreign = Files.write(runs.resolve("foreign.zip"), checkpoint);
        try (FileSystem zip = FileSystems.newFileSystem(foreign, (ClassLoader) null)) {
            Files.delete(zip.getPath(Checkpoint.STATE_ENTRY));
        }
        assertRefusedCheckpoint(Files.readAllBytes(foreign), "holds no training state", "no training-state.json");
    }

    @Test
    void refusesAnUnreadableTrainingState() throws IOException {
        Path broken = Files.write(runs.resolve("broken.zip"), checkpoint);
        try (FileSystem zip = FileSystems.newFileSystem(broken, (ClassLoader) null)) {
            Files.write(zip.getPath(Checkpoint.STATE_ENTRY), "{\"format\": 2, \"epochs\": [".getBytes());
        }
        assertRefusedCheckpoint(Files.readAllBytes(broken), "cannot be used: its training-state.json cannot be read");
    }

    /** A copy of the run whose checkpoint has {@code content} is refused with a message holding {@code expected}. */
    private static void assertRefusedCheckpoint(byte[] content, String... expected) throws IOException {
        Path copy = Files.createTempDirectory(runs, "copy");
        Files.write(copy.resolve(Trainer.CHECKPOINT), content);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(copy, 32, 1, 2).train(Digits::smallCapsNet, train, null, test, 2, true));
        assertMessage(e, expected);
        assertMessage(e, "Fix:");
        assertArrayEquals(content, Files.readAllBytes(copy.resolve(Trainer.CHECKPOINT)), "the checkpoint is left as it was");
    }

    private static void assertRefused(Trainer trainer, Supplier<ComputationGraph> network, IdxDataset train, IdxDataset test,
                                      String... expected) {
        TrainingException e = assertThrows(TrainingException.class, () -> trainer.train(network, train, null, test, 2, true));
        assertMessage(e, expected);
        assertMessage(e, "--resume", "differs from the settings given", "Fix:");
        try {
            assertArrayEquals(checkpoint, Files.readAllBytes(run.resolve(Trainer.CHECKPOINT)), "the checkpoint is left as it was");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    private static void assertMessage(Exception e, String... expected) {
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }
}

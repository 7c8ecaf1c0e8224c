/**
 * The command line, {@code java -jar capsnet-zoo.jar <command>}: {@link io.github.capsnet4j.cli.CapsNetCli}
 * and one picocli class per command ({@code train}, {@code evaluate}, {@code predict}, {@code reconstruct},
 * {@code bench}) with their shared options. It turns options into calls of the library packages and bad
 * options into messages that name the fix.
 *
 * <p>Not library API: no other package of this project uses it.
 */
package io.github.capsnet4j.cli;

/**
 * The paper's MNIST CapsNet, ready to use: {@link io.github.capsnet4j.zoo.CapsNetMnist} (a DL4J
 * {@code ZooModel}, 8,215,568 parameters) with its pretrained weights shipped in the jar
 * ({@link io.github.capsnet4j.zoo.PretrainedWeights}, SHA-256 checked, no download);
 * {@link io.github.capsnet4j.zoo.CapsNetGraph}, the contract every CapsNet graph here keeps (vertex names, the
 * decoder, the inputs in training and at inference); inference with
 * {@link io.github.capsnet4j.zoo.CapsNetPredictor} ({@link io.github.capsnet4j.zoo.Prediction}s from arrays or
 * pictures converted by {@link io.github.capsnet4j.zoo.DigitImages}, reconstructions from capsules); accuracy
 * with {@link io.github.capsnet4j.zoo.CapsNetEvaluator}; transfer learning to another number of classes with
 * {@code CapsNetMnist.initTransfer} ({@link io.github.capsnet4j.zoo.CapsNetTransfer}); saved models read with clear errors by
 * {@link io.github.capsnet4j.zoo.ModelFiles}.
 *
 * <p>Library code: it uses the capsule layers and {@code io.github.capsnet4j.data}, never the command line
 * ({@code cli}) or the benchmark ({@code bench}).
 */
package io.github.capsnet4j.zoo;

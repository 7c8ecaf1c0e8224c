/**
 * Layer configurations, what users put in a {@code ComputationGraph} (DL4J's {@code conf.layers} role): builders,
 * InputType inference, JSON. Each names its computation in {@link io.github.capsnet4j.layers.runtime} by one rule:
 * configuration {@code X} ↔ runtime {@code XLayer} (or {@code XVertex} for a graph vertex).
 * <ul>
 *   <li>{@link io.github.capsnet4j.layers.Convolution}: DL4J's {@code ConvolutionLayer} computed by libnd4j's
 *       conv2d (oneDNN) or as patch products, the paper's Conv1;</li>
 *   <li>{@link io.github.capsnet4j.layers.PrimaryCaps}: that convolution, grouped into capsules and squashed;</li>
 *   <li>{@link io.github.capsnet4j.layers.DigitCaps}: predictions û and dynamic routing;</li>
 *   <li>{@link io.github.capsnet4j.layers.CapsuleLength}: capsule lengths, the class scores;</li>
 *   <li>{@link io.github.capsnet4j.layers.CapsuleMask}: the decoder's masked input (a graph vertex);</li>
 *   <li>{@link io.github.capsnet4j.layers.Dense} and {@link io.github.capsnet4j.layers.Output}: DL4J's {@code DenseLayer}
 *       and {@code OutputLayer} with their products by {@code Nd4j.gemm}, the decoder's layers;</li>
 *   <li>{@link io.github.capsnet4j.layers.CapsuleTypes}: capsules as {@code InputType.recurrent(capsules, dimension)}.</li>
 * </ul>
 * The capsule layers compute in FLOAT or DOUBLE and cast their input to the network's type; a HALF or BFLOAT16 network is refused
 * with the reason ({@link io.github.capsnet4j.ops.Precision}). Parameter layouts live in
 * {@link io.github.capsnet4j.layers.params} (and DL4J's {@code ConvolutionParamInitializer} for the two convolutions).
 */
package io.github.capsnet4j.layers;

/**
 * The computations of the layers in {@link io.github.capsnet4j.layers} (DL4J's {@code layers} role), one per
 * configuration: {@code ConvolutionLayer}, {@code PrimaryCapsLayer} (a {@code ConvolutionLayer} that groups and
 * squashes), {@code DigitCapsLayer}, {@code CapsuleLengthLayer}, {@code CapsuleMaskVertex}, and {@code DenseLayer} and
 * {@code OutputLayer} (DL4J's, with their product {@code x·W + b} by {@code Nd4j.gemm}: {@code DenseProduct}). Plain
 * DL4J layers (no SameDiff) with written-out backward passes; each layer whose backward pass needs its forward results
 * keeps them for the same training step in a {@code ForwardCache}, so no forward pass runs twice (the two fully
 * connected layers keep DL4J's backward passes, which repeat their one small product). Each casts its input to the
 * network's data type and reads its sizes from the configuration once, at construction. The convolutions hold their
 * NCHW tensors in channels-last memory ({@code ChannelsLast}); one whose patches are larger than its output map runs as
 * matrix products over them ({@code PatchConvolution}).
 */
package io.github.capsnet4j.layers.runtime;

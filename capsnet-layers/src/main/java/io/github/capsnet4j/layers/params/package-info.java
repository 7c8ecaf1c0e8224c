/**
 * Parameter initializers (DL4J's {@code ParamInitializer} role, as {@code org.deeplearning4j.nn.params}):
 * {@link io.github.capsnet4j.layers.params.DigitCapsParamInitializer}. The convolutions, {@code Convolution} and
 * {@code PrimaryCaps}, use DL4J's own {@code ConvolutionParamInitializer}.
 */
package io.github.capsnet4j.layers.params;

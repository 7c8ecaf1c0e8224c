/**
 * Loss functions: {@link io.github.capsnet4j.loss.LossMargin}, the margin loss of eq. (4), a DL4J
 * {@code ILossFunction} for a {@code LossLayer} after {@code CapsuleLength}.
 */
package io.github.capsnet4j.loss;

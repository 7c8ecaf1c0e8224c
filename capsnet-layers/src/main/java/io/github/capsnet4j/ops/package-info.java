/**
 * The paper's equations, one class each, each in two forms side by side: a SameDiff form (public API for users
 * who build SameDiff graphs, differentiated by SameDiff) and an array form with a hand-written backward pass
 * (what the layers in {@code io.github.capsnet4j.layers.runtime} compute with).
 * <ul>
 *   <li>{@link io.github.capsnet4j.ops.Squash}: the squashing non-linearity, eq. (1);</li>
 *   <li>{@link io.github.capsnet4j.ops.CapsulePredictions}: the prediction vectors û = W u, eq. (2);</li>
 *   <li>{@link io.github.capsnet4j.ops.DynamicRouting}: routing by agreement, Procedure 1 (with eq. 3); its array
 *       form's sums and products over û are {@code RoutingContractions} (package-private);</li>
 *   <li>{@link io.github.capsnet4j.ops.Precision}: the data types they compute in (FLOAT, DOUBLE).</li>
 * </ul>
 * Every form is checked against the same float64 reference fixtures.
 */
package io.github.capsnet4j.ops;

/**
 * Pictures of what the capsules encode: {@link io.github.capsnet4j.render.ImageGrid} lays grey images out as
 * one picture (and writes PNGs); {@link io.github.capsnet4j.render.Figures} draws the paper's Figure 3
 * (inputs above their reconstructions) and Figure 4 (one capsule's dimensions perturbed).
 *
 * <p>Library code: it uses {@code io.github.capsnet4j.zoo}, never the command line ({@code cli}) or the
 * benchmark ({@code bench}).
 */
package io.github.capsnet4j.render;

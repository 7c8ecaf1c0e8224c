/**
 * Image data in the IDX format of MNIST and Fashion-MNIST: {@link io.github.capsnet4j.data.IdxReader} and
 * {@link io.github.capsnet4j.data.IdxWriter} (plain or gzip, every header checked, errors as
 * {@link io.github.capsnet4j.data.IdxFormatException} naming the file and the fix), the data sets in memory
 * ({@link io.github.capsnet4j.data.IdxDataset}), where they come from ({@link io.github.capsnet4j.data.MnistData},
 * {@link io.github.capsnet4j.data.Split}), and the DL4J iterator with the paper's training regime, shuffled
 * and shifted by up to 2 pixels ({@link io.github.capsnet4j.data.CapsNetDataSetIterator}).
 *
 * <p>Library code: it depends on nothing else of this project.
 */
package io.github.capsnet4j.data;

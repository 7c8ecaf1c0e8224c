package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where the images come from: the official MNIST shipped in the jar (default) or an IDX directory such as Fashion-MNIST. */
public final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of IDX files (train-images-idx3-ubyte[.gz] ... t10k-labels-idx1-ubyte[.gz]),"
                    + " e.g. /usr/share/datasets/fashion-mnist; the last twelfth of the training files is the validation split."
                    + " Default: the official MNIST shipped in the jar (55,000 train / 5,000 validation / 10,000 test digits).")
    Path dataDirectory;

    /** The requested split of the chosen data. */
    public IdxDataset load(Split split) throws IOException {
        return dataDirectory == null ? MnistData.official(split) : MnistData.fromDirectory(dataDirectory, split);
    }

    /** A short description for logs and reports. */
    public String describe() {
        return dataDirectory == null ? "official MNIST" : dataDirectory.toString();
    }
}

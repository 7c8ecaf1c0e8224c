package io.github.capsnet4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a split's IDX files in a directory laid out like the MNIST download: the four files
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each either plain or with
 * {@code .gz} (Fashion-MNIST, for one, ships them compressed).
 */
final class IdxDirectory {

    private IdxDirectory() {
    }

    /**
     * Returns {@code directory/fileName}, or {@code directory/fileName.gz} if only that exists.
     *
     * @throws IdxFormatException naming the expected files if neither exists
     */
    static Path locate(Path directory, String fileName) throws IdxFormatException {
        Path plain = directory.resolve(fileName);
        Path gzipped = directory.resolve(fileName + ".gz");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (Files.isRegularFile(gzipped)) {
            return gzipped;
        }
        String problem = Files.isDirectory(directory)
                ? "the directory has neither " + fileName + " nor " + fileName + ".gz"
                : "no such directory";
        throw new IdxFormatException(directory.toString(), problem,
                "point to a directory that holds " + String.join(", ", expectedFiles())
                        + " (each plain or with .gz), e.g. the unpacked MNIST or Fashion-MNIST download");
    }

    /** The four file names a complete directory holds, without {@code .gz}. */
    private static List<String> expectedFiles() {
        List<String> names = new ArrayList<>();
        for (Split split : new Split[] {Split.TRAIN, Split.TEST}) {   // VALIDATION shares TRAIN's files
            names.add(split.imagesFileName());
            names.add(split.labelsFileName());
        }
        return names;
    }
}

package io.github.capsnet4j.data;

import java.io.IOException;

/**
 * Thrown when an IDX file, or a directory that should hold a data set's IDX files, is missing,
 * malformed or inconsistent. The message always has three parts: which file, what is wrong with
 * it, and how to fix it, e.g. {@code "/data/train-labels-idx1-ubyte.gz: label 12 of example 7 is
 * outside 0..9. Fix: ..."}.
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source  the file, directory or classpath resource concerned
     * @param problem what is wrong, stated as a fact about {@code source}
     * @param fix     what the user can do about it
     */
    public IdxFormatException(String source, String problem, String fix) {
        super(source + ": " + problem + ". Fix: " + fix);
    }
}

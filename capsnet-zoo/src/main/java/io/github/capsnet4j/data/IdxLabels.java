package io.github.capsnet4j.data;

/**
 * The class labels of an IDX1 file: one unsigned byte (0..255) per example. Whether they fit a
 * data set's number of classes is checked by {@link IdxDataset}, which knows that number.
 *
 * <p>The label array is shared, not copied.
 */
public final class IdxLabels {

    private final byte[] labels;

    /** @param labels one unsigned byte per example; kept, not copied */
    public IdxLabels(byte[] labels) {
        this.labels = labels;
    }

    public int count() {
        return labels.length;
    }

    /** The label 0..255 of one example. */
    public int label(int example) {
        return labels[example] & 0xff;
    }

    /** The raw label bytes (shared, do not modify), as they appear in the file body. */
    public byte[] bytes() {
        return labels;
    }
}

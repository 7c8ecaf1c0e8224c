package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Identifies a data split for a resumed run, which must train on the same examples in the same order: its size,
 * image size and classes, and the SHA-256 of its pixels and labels, e.g. {@code "55000 images of 28x28, 10
 * classes, sha256 3f1e9c0a52d4"}. Any changed, added, removed or reordered example changes it.
 */
final class DataFingerprint {

    /** Hex digits of the SHA-256 kept: 48 bits, plenty to tell data sets apart. */
    private static final int HEX_DIGITS = 12;

    private DataFingerprint() {
    }

    /** The fingerprint of {@code data}, or {@code "none"} without one. */
    static String of(IdxDataset data) {
        if (data == null) {
            return "none";
        }
        MessageDigest sha256 = sha256();
        sha256.update(data.images().pixels());
        for (int i = 0; i < data.size(); i++) {
            sha256.update((byte) data.label(i));
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha256.digest()) {
            hex.append(String.format("%02x", b));
        }
        return String.format(Locale.ROOT, "%d images of %dx%d, %d classes, sha256 %s", data.size(), data.rows(),
                data.columns(), data.numClasses(), hex.substring(0, HEX_DIGITS));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

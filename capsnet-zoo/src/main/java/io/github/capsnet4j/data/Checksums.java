package io.github.capsnet4j.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 checksums, as {@code sha256sum} prints them, for the files this library ships (data and weights). */
public final class Checksums {

    private Checksums() {
    }

    /** SHA-256 of {@code bytes} in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

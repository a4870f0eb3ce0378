package dev.surge.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bearer tokens of a {@code tokens} policy, as read from a token file or a Secret's key: one token a line;
 * blank lines and lines starting with {@code #} are left out, and so is whitespace around a token. Only the
 * SHA-256 digests are kept, so a token is compared by its digest (no early exit on a matching prefix of the
 * token itself) and no token lingers in memory longer than its parse.
 *
 * @param rejected what was wrong with lines that were left out (e.g. a token too short), 1-based line numbers,
 *                 to be logged; never the token itself
 */
public record StaticTokens(Set<ByteBuffer> digests, List<String> rejected) {
    /** Shorter tokens are guessable; such a line is left out and reported. */
    public static final int MIN_LENGTH = 16;
    public static final StaticTokens NONE = new StaticTokens(Set.of(), List.of());

    public StaticTokens {
        digests = Set.copyOf(digests);
        rejected = List.copyOf(rejected);
    }

    public static StaticTokens parse(String text) {
        Set<ByteBuffer> digests = new HashSet<>();
        List<String> rejected = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String token = lines[i].strip();
            if (token.isEmpty() || token.startsWith("#")) {
                continue;
            }
            if (token.length() < MIN_LENGTH) {
                rejected.add("line " + (i + 1) + ": a token needs at least " + MIN_LENGTH + " characters");
            } else if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                rejected.add("line " + (i + 1) + ": a token is visible ASCII without spaces (as an HTTP header"
                        + " carries it)");
            } else {
                digests.add(digest(token));
            }
        }
        return new StaticTokens(digests, rejected);
    }

    public boolean accepts(String token) {
        return token != null && digests.contains(digest(token));
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

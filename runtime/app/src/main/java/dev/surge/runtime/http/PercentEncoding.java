package dev.surge.runtime.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Attribute values in HTTP headers as the CloudEvents HTTP binding (1.0.2, section 3.1.3.2) writes them: the
 * value's UTF-8 bytes, with space, {@code "}, {@code %} and every byte outside printable ASCII
 * (U+0021–U+007E) percent-encoded. Any value encoded this way is a valid HTTP header value.
 */
public final class PercentEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /** The header value for an attribute value; values that need no encoding are returned as they are. */
    public static String encode(String value) {
        int i = 0;
        while (i < value.length() && !needsEncoding(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (needsEncoding(c)) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The length of {@link #encode}'s result, without building it. */
    public static int encodedLength(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length += needsEncoding(c) ? 3 : 1;
            } else if (c < 0x800) {
                length += 6; // two UTF-8 bytes, each %XX
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                length += 12; // a pair: four UTF-8 bytes
                i++;
            } else {
                length += 9; // three UTF-8 bytes (a lone surrogate is written as '?', which needs no encoding)
                if (Character.isSurrogate(c)) {
                    length -= 8;
                }
            }
        }
        return length;
    }

    private static boolean needsEncoding(char c) {
        return c <= ' ' || c >= 0x7F || c == '"' || c == '%';
    }

    /**
     * The attribute value of a received header value: first a quoted-string is unquoted (RFC 9110 5.6.4,
     * which older senders used), then one round of percent-decoding; the bytes must be valid UTF-8.
     *
     * @throws IllegalArgumentException saying what is wrong, when the value is not a valid encoding
     */
    public static String decode(String header) {
        String value = unquote(header);
        if (value.indexOf('%') < 0 && value.chars().allMatch(c -> c <= 0x7F)) {
            return value;
        }
        ByteBuffer bytes = ByteBuffer.allocate(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("'%' at position " + i
                            + " is not followed by two hexadecimal digits (a literal '%' is sent as %25)");
                }
                bytes.put((byte) (Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16)));
                i += 2;
            } else if (c > 0x7F) {
                throw new IllegalArgumentException("contains a character outside ASCII that is not percent-encoded");
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("its percent-encoded bytes are not valid UTF-8");
        }
    }

    private static String unquote(String header) {
        if (header.length() < 2 || header.charAt(0) != '"' || header.charAt(header.length() - 1) != '"') {
            return header;
        }
        StringBuilder out = new StringBuilder(header.length());
        for (int i = 1; i < header.length() - 1; i++) {
            char c = header.charAt(i);
            if (c == '\\' && i + 1 < header.length() - 1) {
                c = header.charAt(++i);
            } else if (c == '"' || c == '\\') {
                throw new IllegalArgumentException("is a quoted-string with an unescaped '" + c + "' inside");
            }
            out.append(c);
        }
        return out.toString();
    }
}

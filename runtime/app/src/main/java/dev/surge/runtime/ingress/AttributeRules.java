package dev.surge.runtime.ingress;

import dev.surge.runtime.http.HttpProblem;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The CloudEvents 1.0.2 type system (core spec, sections 2 and 3) applied to attribute values in their
 * canonical string form, plus the {@link EventLimits}. Every check throws an {@link HttpProblem} (400) that
 * names the attribute and says why. Pure: no I/O.
 */
final class AttributeRules {
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    // RFC 2046/9110: type "/" subtype, then parameters; ASCII only, so it is a valid HTTP header value as it is.
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+([ \\t]*;[\\x20-\\x7E\\t]*)?");

    private final EventLimits limits;

    AttributeRules(EventLimits limits) {
        this.limits = limits;
    }

    EventLimits limits() {
        return limits;
    }

    /** Core spec 3.1.1: names MUST consist of lower-case ASCII letters and digits only. */
    static void checkName(String name) {
        if (name.isEmpty()) {
            throw HttpProblem.invalid(name, "an attribute name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                throw HttpProblem.invalid(name, "attribute name '" + printable(name)
                        + "' is invalid: names consist of lower-case letters a-z and digits 0-9 only");
            }
        }
        if ("data".equals(name)) {
            throw HttpProblem.invalid(name, "'data' is the event's payload, not an attribute");
        }
    }

    void checkCount(int count) {
        if (count > limits.maxAttributes()) {
            throw new HttpProblem(400, "Invalid CloudEvent", "the event has " + count + " attributes, more than the "
                    + limits.maxAttributes() + " allowed (surge.ingress.max-attributes)", null, null);
        }
    }

    /**
     * A value in its canonical string form: the String rules and the length limit for every attribute, then
     * the type of the spec's own attributes (extensions arrive untyped as strings in binary mode).
     */
    void checkValue(String name, String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length > limits.maxAttributeBytes()) {
            throw HttpProblem.invalid(name, "attribute '" + name + "' is longer than "
                    + limits.maxAttributeBytes() + " bytes (surge.ingress.max-attribute-bytes)");
        }
        checkCharacters(name, value);
        switch (name) {
            case "id", "type", "subject" -> nonEmpty(name, value);
            case "source" -> {
                nonEmpty(name, value);
                uri(name, value, false);
            }
            case "dataschema" -> {
                nonEmpty(name, value);
                uri(name, value, true);
            }
            case "time" -> time(value);
            case "datacontenttype" -> {
                if (!MEDIA_TYPE.matcher(value).matches()) {
                    throw HttpProblem.invalid(name, "datacontenttype '" + printable(value)
                            + "' is not a media type (RFC 2046), e.g. application/json");
                }
            }
            default -> {
            }
        }
    }

    /**
     * The String type (core spec 2.1): no control characters U+0000–U+001F and U+007F–U+009F, no
     * noncharacters, no surrogate code points unless properly paired.
     */
    static void checkCharacters(String name, String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            String why = null;
            if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
                why = "a control character";
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                why = "an unpaired surrogate";
            } else if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
                why = "a Unicode noncharacter";
            }
            if (why != null) {
                throw HttpProblem.invalid(name, "attribute '" + name + "' contains " + why
                        + String.format(Locale.ROOT, " (U+%04X)", cp) + " at position " + i
                        + ", which CloudEvents strings must not contain");
            }
            i += Character.charCount(cp);
        }
    }

    private static void nonEmpty(String name, String value) {
        if (value.isEmpty()) {
            throw HttpProblem.invalid(name, "attribute '" + name + "' must be a non-empty string");
        }
    }

    private static void uri(String name, String value, boolean absolute) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw HttpProblem.invalid(name, "attribute '" + name + "' is not a " + (absolute ? "URI" : "URI-reference")
                    + ": " + printable(e.getMessage()));
        }
        if (absolute && !uri.isAbsolute()) {
            throw HttpProblem.invalid(name, "attribute '" + name + "' must be an absolute URI (with a scheme)");
        }
    }

    private static void time(String value) {
        if (RFC3339.matcher(value).matches()) {
            try {
                OffsetDateTime.parse(value.toUpperCase(Locale.ROOT));
                return;
            } catch (DateTimeParseException e) {
                // falls through: the shape is right, a field is out of range
            }
        }
        throw HttpProblem.invalid("time", "attribute 'time' is not an RFC 3339 timestamp: '" + printable(value)
                + "', e.g. 2026-11-24T10:00:00Z");
    }

    /** A value quoted in a problem detail, with control characters escaped so the detail stays readable. */
    static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}

package dev.surge.runtime.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The CloudEvents HTTP content modes the ingress takes. */
enum ContentMode {
    /** Attributes in {@code ce-} headers, the data as the body. */
    BINARY,
    /** The whole event as one JSON document, {@code application/cloudevents+json}. */
    STRUCTURED,
    /** A JSON array of structured events, {@code application/cloudevents-batch+json}: here a batch of one. */
    BATCHED;

    /** Any case: {@code binary}, {@code Binary}, {@code BINARY}. */
    static final class Converter implements ITypeConverter<ContentMode> {
        @Override
        public ContentMode convert(String value) {
            try {
                return ContentMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a content mode; use binary, structured or"
                        + " batched");
            }
        }
    }
}

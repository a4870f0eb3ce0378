package dev.surge.core.auth;

import java.util.Map;

/**
 * Who a verified token says its bearer is: its {@code sub} (null when the token has none) and all of its claims
 * as JSON values (strings, numbers, booleans, lists, maps).
 */
public record Principal(String subject, Map<String, Object> claims) {
    public Principal {
        claims = Map.copyOf(claims);
    }

    /** How a problem or a log line names the principal. */
    public String describe() {
        return subject == null ? "a token without subject" : "'" + subject + "'";
    }
}

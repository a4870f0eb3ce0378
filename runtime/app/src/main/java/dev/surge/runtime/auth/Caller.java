package dev.surge.runtime.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What a policy looks at in a request: the bearer token of its {@code Authorization} header (RFC 6750; null when
 * there is none, or the header has another scheme) and whether it reached Surge on a loopback interface.
 *
 * <p>Loopback is judged by the address the connection was accepted on, not by a forwarded header a client could
 * write. A proxy on the same machine (a service-mesh sidecar) makes every caller local; see docs/auth.md.
 */
public record Caller(String bearerToken, boolean onLoopback) {
    public static Caller of(HttpServerRequest request) {
        return new Caller(bearer(request.getHeader("Authorization")), isLoopback(request.localAddress()));
    }

    /** The token of {@code Authorization: Bearer <token>}; the scheme is case-insensitive. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        String token = h.substring(space + 1).strip();
        return token.isEmpty() ? null : token;
    }

    static boolean isLoopback(SocketAddress local) {
        if (local == null || local.hostAddress() == null || local.hostAddress().isEmpty()) {
            return false;
        }
        String literal = local.hostAddress();
        // Only an IP literal is looked at: getByName on a literal resolves nothing, and a name is never trusted.
        if (!(literal.indexOf(':') >= 0 || Character.isDigit(literal.charAt(0)))) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

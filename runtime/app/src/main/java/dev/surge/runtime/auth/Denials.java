package dev.surge.runtime.auth;

import dev.surge.core.auth.Principal;
import dev.surge.runtime.http.HttpProblem;

/**
 * The answers of a policy that refuses, for one guarded thing ("broker shop/orders"). A 401 says that a token is
 * missing or not valid — and that it expired or is not valid yet, which the holder can act on — but never which
 * other check failed (signature, issuer, audience, key), which would help only someone forging one.
 *
 * @param realm   the RFC 6750 realm, e.g. {@code shop/orders}
 * @param guarded how problems name what is guarded, e.g. {@code broker shop/orders}
 * @param verb    what a caller does to it, e.g. {@code post to}
 */
record Denials(String realm, String guarded, String verb) {
    static Denials broker(String namespace, String name) {
        return new Denials(namespace + "/" + name, "broker " + namespace + "/" + name, "post to");
    }

    static final Denials ADMIN = new Denials("surge-admin", "Surge's admin and status endpoints", "call");

    Access.Denied noToken() {
        return new Access.Denied(new HttpProblem(401, "Unauthorized", guarded
                + " needs a bearer token: send it as 'Authorization: Bearer <token>'"),
                "Bearer realm=\"" + realm + "\"", null);
    }

    Access.Denied invalidToken() {
        return invalid("the token is not valid for " + guarded);
    }

    Access.Denied expired() {
        return invalid("the token has expired");
    }

    Access.Denied notYetValid() {
        return invalid("the token is not valid yet (its nbf is in the future)");
    }

    Access.Denied notAllowed(Principal principal) {
        return new Access.Denied(new HttpProblem(403, "Forbidden", principal.describe() + " may not " + verb + " "
                + guarded + ": no rule of its policy allows this principal"), null, null);
    }

    /** The default policy, refusing a request that came over the network. */
    Access.Denied notOnThisMachine(String howToOpen) {
        return new Access.Denied(new HttpProblem(403, "Forbidden", "only requests from this machine (a"
                + " loopback address) may reach " + guarded + "; " + howToOpen), null, null);
    }

    Access.Denied keysUnavailable() {
        return new Access.Denied(new HttpProblem(503, "Service Unavailable", "the keys that sign tokens for "
                + guarded + " cannot be fetched now; nothing of this request was accepted, send it again"), null, 5);
    }

    private Access.Denied invalid(String why) {
        return new Access.Denied(new HttpProblem(401, "Unauthorized", why), "Bearer realm=\"" + realm
                + "\", error=\"invalid_token\", error_description=\"" + why + "\"", null);
    }
}

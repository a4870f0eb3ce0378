package dev.surge.runtime.auth;

import dev.surge.core.auth.IngressAuth;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.IngressAuthReader;
import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.runtime.config.SurgeConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Who may post to each broker and call the admin endpoints: one {@link Gate} per policy in force, made when a
 * broker (or a changed policy) is first asked about and dropped once the broker is gone or its policy changed.
 * Token files are read again every second; OIDC keys are fetched as {@link JwksKeys} says.
 */
@ApplicationScoped
public class AccessControl {
    private static final Logger LOG = Logger.getLogger(AccessControl.class);
    /** Keys older than this are fetched again (in the background). */
    static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
    /** Fetches of one JWKS start at least this far apart, also for tokens with an unknown kid. */
    static final Duration JWKS_MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);
    private static final String ADMIN = "surge.admin";

    @Inject
    SurgeConfig config;
    @Inject
    PolicySource source;

    private final Map<Key, Gate> gates = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-auth");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(JWKS_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private volatile IngressAuth adminPolicy = IngressAuth.DEFAULT;

    /** A policy of a guarded thing; a changed policy is another key, so it gets a new gate. */
    private record Key(String owner, IngressAuth policy) {
    }

    void onStart(@Observes StartupEvent event) {
        adminPolicy = config.admin().authFile().map(AccessControl::readAdminPolicy).orElse(IngressAuth.DEFAULT);
        if (!(adminPolicy instanceof IngressAuth.ThisMachine)) {
            LOG.infof("admin and status endpoints: %s policy of %s", adminPolicy.mode(), config.admin().authFile().get());
        }
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
        gates.values().forEach(Gate::close);
        gates.clear();
    }

    /** Whether the request may post to {@code broker}. Completes on another thread when it had to wait for keys. */
    public CompletableFuture<Access> check(Broker broker, HttpServerRequest request) {
        Key key = new Key(broker.namespace() + "/" + broker.name(), broker.auth());
        return gates.computeIfAbsent(key, k -> brokerGate(broker)).check(Caller.of(request));
    }

    /** Whether the request may call an admin or status endpoint. */
    public CompletableFuture<Access> checkAdmin(HttpServerRequest request) {
        return gates.computeIfAbsent(new Key(ADMIN, adminPolicy), k -> adminGate(k.policy())).check(Caller.of(request));
    }

    private Gate brokerGate(Broker broker) {
        Denials denials = Denials.broker(broker.namespace(), broker.name());
        return gate(broker.auth(), denials, broker.namespace(), "it has no spec.ingress.auth; set"
                + " spec.ingress.auth.mode (open, tokens or oidc) to accept events over the network");
    }

    private Gate adminGate(IngressAuth policy) {
        return gate(policy, Denials.ADMIN, null, "set surge.admin.auth-file to a policy (mode: open, tokens or"
                + " oidc) to serve them over the network");
    }

    private Gate gate(IngressAuth policy, Denials denials, String namespace, String howToOpen) {
        if (policy instanceof IngressAuth.Open) {
            return new Gate.Open();
        }
        if (policy instanceof IngressAuth.Tokens t) {
            return new Gate.Tokens(denials, tokens(t, denials.guarded(), namespace));
        }
        if (policy instanceof IngressAuth.Oidc o) {
            return new Gate.Oidc(denials, o, new JwksKeys(o.jwksUri(), this::fetch, timer, JWKS_MAX_AGE,
                    JWKS_MIN_INTERVAL));
        }
        return new Gate.ThisMachine(denials, howToOpen);
    }

    /** Kubernetes mode reads the Secret when there is one; otherwise (and in local mode) the file. */
    private WatchedTokens tokens(IngressAuth.Tokens policy, String guarded, String namespace) {
        var secrets = source.tokenSecrets();
        if (policy.secret() != null && secrets.isPresent() && namespace != null) {
            return secrets.get().watch(namespace, policy.secret(), guarded);
        }
        if (policy.file() != null) {
            return new TokenFile(policy.file(), guarded);
        }
        LOG.errorf("%s: its tokens are in Secret %s (key %s), which is read in Kubernetes mode only; give"
                + " tokens.file too to run it here. Every request with a token is refused", guarded,
                policy.secret().name(), policy.secret().key());
        return () -> dev.surge.core.auth.StaticTokens.NONE;
    }

    private CompletableFuture<String> fetch(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(JWKS_TIMEOUT)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + r.statusCode());
            }
            return r.body();
        });
    }

    /** Reads token files again and drops the gates of policies no longer in force. */
    private void tick() {
        try {
            Set<Key> live = new HashSet<>();
            for (Broker b : source.brokers()) {
                live.add(new Key(b.namespace() + "/" + b.name(), b.auth()));
            }
            live.add(new Key(ADMIN, adminPolicy));
            for (var e : gates.entrySet()) {
                if (!live.contains(e.getKey())) {
                    if (gates.remove(e.getKey(), e.getValue())) {
                        e.getValue().close();
                    }
                } else {
                    e.getValue().refresh();
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "checking the policies of who may post failed; trying again in a second");
        }
    }

    private static IngressAuth readAdminPolicy(Path file) {
        try {
            Path absolute = file.toAbsolutePath();
            return IngressAuthReader.readPolicy(Files.readString(absolute), file.toString(), absolute.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("surge.admin.auth-file " + file + " cannot be read: " + e);
        } catch (InvalidResourcesException e) {
            throw new IllegalStateException("invalid surge.admin.auth-file:\n" + e.getMessage());
        }
    }
}

package dev.surge.runtime.kubernetes;

import dev.surge.core.auth.IngressAuth;
import dev.surge.core.auth.StaticTokens;
import dev.surge.runtime.auth.TokenSecrets;
import dev.surge.runtime.auth.WatchedTokens;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tokens of a Broker's {@code tokens.secretRef}: the Secret is read ({@code get}) and then watched
 * ({@code watch} on that one name), so an edit of its key counts within a moment, without a restart. These are the
 * only calls, and the ingress's only on Secrets (helm/surge/files/rbac/ingress.yaml). A Secret or key that is
 * missing holds no tokens; a failed read or a closed watch is tried again every {@value #RETRY_SECONDS} s.
 */
final class SecretTokens implements TokenSecrets, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SecretTokens.class);
    static final int RETRY_SECONDS = 5;

    private final KubernetesClient client;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-secret-tokens");
        t.setDaemon(true);
        return t;
    });

    SecretTokens(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public WatchedTokens watch(String namespace, IngressAuth.SecretRef secret, String guarded) {
        Watched watched = new Watched(namespace, secret, guarded);
        watched.start();
        return watched;
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }

    /** The tokens of a Secret's data, one a line; none when the Secret or its key is absent. */
    static StaticTokens tokensOf(Secret secret, String key) {
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return StaticTokens.NONE;
        }
        return StaticTokens.parse(new String(Base64.getMimeDecoder().decode(secret.getData().get(key)),
                StandardCharsets.UTF_8));
    }

    private final class Watched implements WatchedTokens, Watcher<Secret> {
        private final String namespace;
        private final IngressAuth.SecretRef ref;
        private final String guarded;
        private volatile StaticTokens tokens = StaticTokens.NONE;
        private volatile boolean closed;
        private Watch watch;

        Watched(String namespace, IngressAuth.SecretRef ref, String guarded) {
            this.namespace = namespace;
            this.ref = ref;
            this.guarded = guarded;
        }

        synchronized void start() {
            if (closed) {
                return;
            }
            try {
                var resource = client.secrets().inNamespace(namespace).withName(ref.name());
                update(resource.get(), "read");
                watch = resource.watch(this);
            } catch (RuntimeException e) {
                LOG.errorf("%s: Secret %s/%s cannot be read or watched (%s); trying again in %d s", guarded, namespace,
                        ref.name(), e.getMessage(), RETRY_SECONDS);
                retry();
            }
        }

        private void retry() {
            if (!closed) {
                retries.schedule(this::start, RETRY_SECONDS, TimeUnit.SECONDS);
            }
        }

        private void update(Secret secret, String how) {
            StaticTokens read = tokensOf(secret, ref.key());
            tokens = read;
            read.rejected().forEach(r -> LOG.warnf("%s: Secret %s/%s key %s, %s; that line is left out", guarded,
                    namespace, ref.name(), ref.key(), r));
            if (secret == null) {
                LOG.errorf("%s: Secret %s/%s does not exist: every request with a token is refused until it does",
                        guarded, namespace, ref.name());
            } else {
                LOG.infof("%s: %d token(s) %s from Secret %s/%s key %s", guarded, read.digests().size(), how, namespace,
                        ref.name(), ref.key());
            }
        }

        @Override
        public StaticTokens current() {
            return tokens;
        }

        @Override
        public void eventReceived(Action action, Secret secret) {
            switch (action) {
                case ADDED, MODIFIED -> update(secret, "read again");
                case DELETED -> update(null, "removed");
                default -> {
                }
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // fabric8 reconnects a watch itself; it closes with an exception only when it gave up (e.g. 410 Gone).
            LOG.warnf("%s: the watch of Secret %s/%s closed (%s); reading it again in %d s", guarded, namespace,
                    ref.name(), cause.getMessage(), RETRY_SECONDS);
            retry();
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (watch != null) {
                watch.close();
            }
        }
    }
}

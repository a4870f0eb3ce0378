package dev.surge.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.testing.TestingIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWKS cache with a fetch the test answers: when it fetches, how often at most, and what it keeps. */
class JwksKeysTest {
    static final URI URI_ = URI.create("https://issuer.surge.test/keys");
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<List<PublicJsonWebKey>> served = new AtomicReference<>(List.of(TestingIssuer.rsaKey("k1")));
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    CompletableFuture<String> fetch(URI uri) {
        fetches.incrementAndGet();
        if (failure.get() != null) {
            return CompletableFuture.failedFuture(failure.get());
        }
        return CompletableFuture.completedFuture(new JsonWebKeySet(List.<JsonWebKey>copyOf(served.get()))
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    JwksKeys keys(Duration maxAge, Duration minInterval) {
        return new JwksKeys(URI_, this::fetch, timer, maxAge, minInterval);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void fetchesOnceForManyCallersAndKeepsTheKeys() throws Exception {
        JwksKeys keys = keys(Duration.ofMinutes(5), Duration.ofSeconds(1));
        List<CompletableFuture<JwksKeys.KeySet>> asked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            asked.add(keys.current());
        }
        for (var a : asked) {
            assertThat(a.get(5, TimeUnit.SECONDS).has("k1")).isTrue();
        }
        assertThat(keys.current().get(5, TimeUnit.SECONDS).has("k1")).isTrue();
        assertThat(fetches).hasValue(1);
    }

    @Test
    void anUnknownKidWaitsForAFetchThatStartedAfterItAndSeesANewKey() throws Exception {
        JwksKeys keys = keys(Duration.ofMinutes(5), Duration.ofMillis(300));
        assertThat(keys.current().get(5, TimeUnit.SECONDS).has("k2")).isFalse();
        served.set(List.of(TestingIssuer.rsaKey("k1"), TestingIssuer.rsaKey("k2")));
        // Asked at once after the first fetch: within the minimum interval, so the fetch waits for it, and the
        // caller waits for that fetch rather than being told no.
        JwksKeys.KeySet fresh = keys.fetchedSince(System.nanoTime()).get(5, TimeUnit.SECONDS);
        assertThat(fresh.has("k2")).isTrue();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void madeUpKidsCannotMakeItFetchMoreThanOnceAnInterval() throws Exception {
        JwksKeys keys = keys(Duration.ofMinutes(5), Duration.ofSeconds(2));
        keys.current().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<JwksKeys.KeySet>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(keys.fetchedSince(System.nanoTime()));
        }
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        // The first fetch, then one more for all fifty (they all asked within one interval of each other, or the
        // machine was slow and a third one served the late ones).
        assertThat(fetches.get()).isBetween(2, 3);
    }

    @Test
    void aFailedFetchKeepsTheKeysFetchedBefore() throws Exception {
        JwksKeys keys = keys(Duration.ZERO, Duration.ofMillis(50));
        assertThat(keys.current().get(5, TimeUnit.SECONDS).has("k1")).isTrue();
        failure.set(new IllegalStateException("GET answered 500"));
        int before = fetches.get();
        // maxAge 0: every call starts a background fetch (one an interval), which fails, and the old keys stay.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(keys.current().get(5, TimeUnit.SECONDS).has("k1")).isTrue();
            assertThat(fetches.get()).isGreaterThan(before + 1);
        });
    }

    @Test
    void withNoKeysEverFetchedTheCallerIsToldSo() {
        failure.set(new IllegalStateException("connection refused"));
        JwksKeys keys = keys(Duration.ofMinutes(5), Duration.ofMillis(50));
        assertThat(keys.current()).failsWithin(Duration.ofSeconds(5));
    }
}

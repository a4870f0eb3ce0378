package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.testing.PackagedRuntime;
import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;
import io.smallrye.certs.PemCertificateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where {@code surge up} listens: this machine only unless told otherwise ({@code --host}), and HTTPS only with a
 * certificate ({@code --tls-cert}, {@code --tls-key}), whose renewal on disk is taken without a restart.
 */
class ListenPackagedIT {
    private static final String BROKER = """
            apiVersion: surge.dev/v1alpha1
            kind: Broker
            metadata: {name: default, namespace: shop}
            ---
            apiVersion: surge.dev/v1alpha1
            kind: Broker
            metadata: {name: public, namespace: shop}
            spec:
              ingress:
                auth: {mode: open}
            """;

    private final Path dir = Path.of("target", "listen-it-" + System.nanoTime()).toAbsolutePath();
    private Process surge;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedRuntime.stop(surge);
    }

    @Test
    void listensOnLoopbackOnlyUnlessGivenAHost() throws Exception {
        InetAddress outside = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(outside != null, "this machine has no non-loopback IPv4 address to try from");
        Path yaml = resources();
        int port = PackagedRuntime.freePort();
        surge = PackagedRuntime.start(yaml, port, PackagedRuntime.freePort(), dir.resolve("data"),
                dir.resolve("loopback.log"));
        assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:%s", port).isTrue();
        assertThat(connects(outside, port)).as("%s:%s, by default", outside.getHostAddress(), port).isFalse();
        PackagedRuntime.stop(surge);

        surge = PackagedRuntime.start(yaml, port, dir.resolve("data"), dir.resolve("any.log"),
                "--kafka-port", String.valueOf(PackagedRuntime.freePort()), "--host", "0.0.0.0");
        String fromOutside = "http://" + outside.getHostAddress() + ":" + port;
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(event(fromOutside, "public"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as("an open broker, from %s with --host 0.0.0.0: %s", outside,
                accepted.body()).isEqualTo(202);
        // a broker without an ingress policy still takes this machine's events only
        HttpResponse<String> refused = HttpClient.newHttpClient().send(event(fromOutside, "default"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    }

    @Test
    void servesHttpsOnlyAndTakesARenewedCertificateWithoutARestart() throws Exception {
        PemCertificateFiles first = certificate("first");
        PemCertificateFiles renewed = certificate("renewed");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(first.certFile(), cert);
        Files.copy(first.keyFile(), key);
        HttpClient trustsFirst = trusting(first);
        HttpClient trustsRenewed = trusting(renewed);

        int port = PackagedRuntime.freePort();
        surge = PackagedRuntime.start(resources(), port, dir.resolve("data"), dir.resolve("tls.log"), trustsFirst,
                "https", "--kafka-port", String.valueOf(PackagedRuntime.freePort()),
                "--tls-cert", cert.toString(), "--tls-key", key.toString());
        HttpResponse<String> accepted = trustsFirst.send(event("https://localhost:" + port),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(event("http://localhost:" + port),
                HttpResponse.BodyHandlers.ofString())).as("plain HTTP on the HTTPS port").isInstanceOf(IOException.class);
        assertThat(Files.readString(dir.resolve("tls.log"))).contains("https://localhost:" + port + "/shop/default");

        // renewed on disk as cert-manager or certbot do it: the new files moved into place
        Files.copy(renewed.certFile(), dir.resolve("tls.crt.new"));
        Files.copy(renewed.keyFile(), dir.resolve("tls.key.new"));
        Files.move(dir.resolve("tls.key.new"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir.resolve("tls.crt.new"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long pid = surge.pid();
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions().untilAsserted(() -> assertThat(trustsRenewed
                .send(event("https://localhost:" + port), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(202));
        assertThat(surge.isAlive()).isTrue();
        assertThat(surge.pid()).isEqualTo(pid);
        assertThatThrownBy(() -> trusting(first).send(event("https://localhost:" + port),
                HttpResponse.BodyHandlers.ofString())).as("the old certificate is gone")
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesATlsOptionWithoutItsPartner() throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("surge.runtime.jar"), "up", resources().toString(), "--tls-cert",
                dir.resolve("tls.crt").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("--tls-cert needs --tls-key");
    }

    private Path resources() throws IOException {
        Files.createDirectories(dir);
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, BROKER);
        return yaml;
    }

    private PemCertificateFiles certificate(String name) throws Exception {
        Files.createDirectories(dir.resolve(name));
        return (PemCertificateFiles) new CertificateGenerator(dir.resolve(name), true).generate(new CertificateRequest()
                .withName(name).withCN("localhost").withSubjectAlternativeName("DNS:localhost")
                .withFormat(Format.PEM)).get(0);
    }

    private static HttpClient trusting(PemCertificateFiles files) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(files.trustFile())) {
            trust.setCertificateEntry("surge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        // a new client each time: no TLS session or connection of an earlier handshake is reused
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest event(String base) {
        return event(base, "default");
    }

    private static HttpRequest event(String base, String broker) {
        return HttpRequest.newBuilder(URI.create(base + "/shop/" + broker))
                .header("ce-specversion", "1.0").header("ce-id", "listen-1").header("ce-source", "/test")
                .header("ce-type", "test.listen").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst();
    }
}

package dev.surge.kubetest;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kubernetes API server (v1.20.2: kube-apiserver + etcd, both on loopback) for the tests of one class.
 *
 * <pre>{@code
 * @RegisterExtension static RealApiServer api = new RealApiServer();
 * ... api.client().configMaps().inNamespace("x").resource(cm).serverSideApply();
 * }</pre>
 *
 * <p>Unlike fabric8's mock server it does server-side apply, subresources such as {@code /scale}, OpenAPI schema
 * validation of custom resources, and RBAC: {@link #clientAs} gives a client authenticated as a ServiceAccount.
 * There is no controller-manager or scheduler: objects are stored and validated, nothing reconciles them.
 *
 * <p>Started in {@code beforeAll}, stopped in {@code afterAll} (also when the class fails, and by a shutdown hook
 * if the JVM is ended first). Its files (certificates, kubeconfig, etcd's data) live in
 * {@code target/kube-api/<test class>/}. The binaries come from {@code .ci/kube-apiserver.sh}; when they are
 * absent every test is skipped (aborted, saying where it looked and what to run), or the class fails where
 * {@code SURGE_KUBE_API=required}.
 */
public final class RealApiServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  /** Long enough for a busy 2-core machine; a start normally takes seconds. */
  private static final int STARTUP_TIMEOUT_MILLIS = 120_000;
  /** The shortest lifetime the TokenRequest API accepts is 10 minutes; a test class is shorter than this. */
  private static final long TOKEN_SECONDS = 3600;

  private final Function<String, String> env;
  private final Path folders;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private KubeAPIServer server;
  private ServerFolder folder;
  private KubernetesClient admin;
  private Thread shutdownHook;
  /** Why there is no server, when the binaries are absent and that only skips the tests. */
  private String unavailable;

  public RealApiServer() {
    this(System::getenv, Path.of("target", "kube-api"));
  }

  RealApiServer(Function<String, String> env, Path folders) {
    this.env = env;
    this.folders = folders;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(context.getRequiredTestClass().getName());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (unavailable != null) {
      Assumptions.abort(unavailable);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the server in {@code target/kube-api/<name>/}. */
  synchronized void start(String name) {
    if (server != null) {
      throw new IllegalStateException("the API server is already running in " + folder.root());
    }
    unavailable = null;
    MissingBinaries onMissing = MissingBinaries.from(env);
    KubeBinaries binaries = KubeBinaries.expectedIn(env);
    List<Path> missing = binaries.missing();
    if (!missing.isEmpty()) {
      if (onMissing == MissingBinaries.FAIL) {
        throw MissingBinaries.failure(binaries.missingMessage(missing));
      }
      unavailable = binaries.missingMessage(missing);
      return;
    }
    folder = new ServerFolder(folders.resolve(name));
    folder.prepare(binaries);
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(folder.root().toString())
        .withApiServerVersion(KubeBinaries.VERSION)
        // Never download: the binaries are the ones the script built (kube-api-test's env variables for
        // booleans throw a ClassCastException in 7.6.1, so the builder sets it).
        .withOfflineMode(true)
        // kube-api-test gives no bind address, so the API server would listen on every interface; it also
        // advertises itself (the `kubernetes` Service's endpoint) on loopback then.
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withStartupTimeout(STARTUP_TIMEOUT_MILLIS)
        .build());
    shutdownHook = new Thread(this::stop, "stop-real-api-server");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      server.start();
      String kubeconfig = server.getKubeConfigYaml();
      writeKubeconfig(kubeconfig);
      admin = track(new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build());
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private void writeKubeconfig(String kubeconfig) {
    try {
      Files.writeString(folder.kubeconfig(), kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the API server's kubeconfig to " + folder.kubeconfig(), e);
    }
  }

  /** Stops kube-apiserver and etcd and deletes etcd's data; does nothing when not running. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      clients.forEach(KubernetesClient::close);
      clients.clear();
      admin = null;
      server.stop();
    } finally {
      server = null;
      folder.deleteEtcdData();
      removeShutdownHook();
    }
  }

  /** A client with cluster-admin rights (the client certificate of group {@code system:masters}). */
  public KubernetesClient client() {
    return running(admin);
  }

  /** The admin kubeconfig (YAML; certificates referenced by path), for kubectl, Helm or another client. */
  public String kubeconfig() {
    try {
      return Files.readString(kubeconfigFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file holding {@link #kubeconfig()}. */
  public Path kubeconfigFile() {
    running(admin);
    return folder.kubeconfig();
  }

  /** The API server's URL, e.g. {@code https://127.0.0.1:41234/}. */
  public String url() {
    return client().getConfiguration().getMasterUrl();
  }

  /**
   * A client authenticated as ServiceAccount {@code namespace/name} with a token of its own from the TokenRequest
   * API, so it has exactly the rights its RoleBindings give. Creates the ServiceAccount if absent (the namespace
   * must exist). Closed with the server.
   */
  public KubernetesClient clientAs(String namespace, String serviceAccount) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    String token = serviceAccountToken(namespace, serviceAccount);
    Config adminConfig = client().getConfiguration();
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withCaCertData(adminConfig.getCaCertData())
        .withOauthToken(token)
        .withNamespace(namespace)
        .build();
    return track(new KubernetesClientBuilder().withConfig(config).build());
  }

  /** A fresh bearer token of ServiceAccount {@code namespace/name} (created if absent), valid for an hour. */
  public String serviceAccountToken(String namespace, String serviceAccount) {
    var accounts = client().serviceAccounts().inNamespace(namespace);
    if (accounts.withName(serviceAccount).get() == null) {
      accounts.resource(new ServiceAccountBuilder().withNewMetadata().withName(serviceAccount).endMetadata().build())
          .create();
    }
    return accounts.withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_SECONDS).endSpec().build())
        .getStatus().getToken();
  }

  /**
   * A kubeconfig (YAML) for this server with nothing but a fresh token of ServiceAccount {@code namespace/name}
   * (created if absent), its namespace as the context's: what a pod of that account gets, for a child process that
   * takes fabric8's usual configuration ({@code KUBECONFIG}).
   */
  public String kubeconfigAs(String namespace, String serviceAccount) {
    String token = serviceAccountToken(namespace, serviceAccount);
    Config admin = client().getConfiguration();
    String ca = admin.getCaCertFile() != null ? "    certificate-authority: " + admin.getCaCertFile() + "\n"
        : "    certificate-authority-data: " + admin.getCaCertData() + "\n";
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: " + admin.getMasterUrl()
        + "\n" + ca + "users:\n- name: " + serviceAccount + "\n  user:\n    token: " + token + "\ncontexts:\n"
        + "- name: test\n  context: {cluster: test, user: " + serviceAccount + ", namespace: " + namespace + "}\n"
        + "current-context: test\n";
  }

  private synchronized KubernetesClient track(KubernetesClient client) {
    clients.add(client);
    return client;
  }

  private <T> T running(T value) {
    if (unavailable != null) {
      // e.g. called from a @BeforeAll method: skips the class like the tests
      Assumptions.abort(unavailable);
    }
    if (server == null || value == null) {
      throw new IllegalStateException(
          "the API server is not running: register RealApiServer with @RegisterExtension on a static field");
    }
    return value;
  }

  private void removeShutdownHook() {
    if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the JVM is exiting; the hook stops the server
    }
    shutdownHook = null;
  }
}

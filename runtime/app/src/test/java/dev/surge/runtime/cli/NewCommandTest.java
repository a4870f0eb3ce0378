package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code surge new} as a user runs it: the project it generates (with Maven, offline, from the function template
 * that the build installed in the local repository), the resource file it adds to, and what it refuses.
 */
class NewCommandTest {
    private static final Path FUNCTIONS = Path.of(System.getProperty("test.functions.dir", "../../functions"))
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int surgeNew(String... args) {
        CommandLine cli = SurgeCli.commandLine(new NewCommand(Map.of("PATH", System.getenv("PATH"))::get));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void createsAFunctionProjectReadyToBuild() throws Exception {
        int code = surgeNew("order-audit", "--package", "com.acme.audit", "-d", dir.toString());

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        Path project = dir.resolve("order-audit");
        assertThat(Files.readString(project.resolve("pom.xml")))
                .contains("<artifactId>order-audit</artifactId>", "<groupId>com.example</groupId>",
                        "<artifactId>quarkus-bom</artifactId>", "<quarkus.platform.version>3.34.1<",
                        "quarkus-funqy-knative-events", "quarkus-container-image-jib")
                .doesNotContain("<parent>");
        Path sources = project.resolve("src/main/java/com/acme/audit");
        assertThat(Files.readString(sources.resolve("OrderAudit.java")))
                .contains("package com.acme.audit;", "public class OrderAudit",
                        "@CloudEventMapping(trigger = \"com.example.order-audit\","
                                + " responseType = \"com.example.order-audit.reply\"",
                        "responseSource = \"/functions/order-audit\"");
        assertThat(sources.resolve("OrderAuditService.java")).isRegularFile();
        assertThat(Files.readString(project.resolve("src/test/java/com/acme/audit/OrderAuditTest.java")))
                .contains("@QuarkusTest", ".header(\"ce-type\", \"com.example.order-audit\")",
                        ".header(\"ce-type\", \"com.example.order-audit.reply\")");
        assertThat(properties(project.resolve("src/main/resources/application.properties")))
                .containsEntry("quarkus.container-image.build", "false")
                .containsEntry("quarkus.container-image.name", "order-audit");
        assertThat(Files.readString(project.resolve("helm/values.yaml")))
                .contains("  name: order-audit\n", "  image: order-audit:1.0.0-SNAPSHOT\n",
                        "      - exact: {type: com.example.order-audit}\n");
        assertThat(project.resolve("mvnw")).isExecutable();
        assertThat(project.resolve(".gitignore")).isRegularFile();

        ResourceSet local = ResourceLoader.load(project.resolve("surge.yaml"));
        assertThat(local.functions()).singleElement().satisfies(f -> {
            assertThat(f.metadata().name()).isEqualTo("order-audit");
            assertThat(f.path()).isEqualTo(project.resolve("target/quarkus-app").toString());
        });
        assertThat(local.triggers()).singleElement().satisfies(t -> assertThat(t.function()).isEqualTo("order-audit"));

        assertThat(out.toString()).contains("Creating function order-audit in " + project, " done (",
                "./mvnw package", "surge up " + dir.resolve("order-audit").resolve("surge.yaml"));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("nothing but the project (no staging folder)").containsExactly(project);
        }
    }

    @Test
    void addsTheFunctionAndItsTriggerToAResourceFile() throws Exception {
        Path file = dir.resolve("surge.yaml");
        String before = """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: orders, namespace: shop}
                """;
        Files.writeString(file, before);

        Files.createDirectory(dir.resolve("functions"));
        int code = surgeNew("audit", "-d", dir.resolve("functions").toString(), "--add-to", file.toString(),
                "--namespace", "shop", "--broker", "orders", "--event-type", "shop.order.placed");

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(Files.readString(file)).startsWith(before);
        ResourceSet set = ResourceLoader.load(file);
        assertThat(set.brokers()).hasSize(1);
        Function function = set.functions().get(0);
        assertThat(function.metadata().name()).isEqualTo("audit");
        assertThat(function.metadata().namespace()).isEqualTo("shop");
        assertThat(function.path()).isEqualTo(dir.resolve("functions/audit/target/quarkus-app").toString());
        Trigger trigger = set.triggers().get(0);
        assertThat(trigger.broker()).isEqualTo("orders");
        assertThat(trigger.function()).isEqualTo("audit");
        assertThat(Files.readString(file)).contains("- exact: {type: shop.order.placed}");
        assertThat(out.toString()).contains("Added Function and Trigger shop/audit to " + file);
    }

    @Test
    void refusesAResourceFileThatWouldNotValidateAndCreatesNothing() throws Exception {
        Path file = dir.resolve("surge.yaml");
        String before = """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: orders}
                """;
        Files.writeString(file, before);

        int code = surgeNew("audit", "-d", dir.toString(), "--add-to", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("would not validate with Function and Trigger audit added")
                .contains("Trigger/audit").contains("spec.broker");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(dir.resolve("audit")).doesNotExist();
    }

    @Test
    void refusesAMissingResourceFile() {
        int code = surgeNew("audit", "-d", dir.toString(), "--add-to", dir.resolve("nope.yaml").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("nope.yaml: no such file");
        assertThat(dir.resolve("audit")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Audit", "1audit", "audit-", "order_audit", "order.audit", "",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void refusesANameThatIsNoKubernetesNameWithAUsageError(String name) {
        int code = surgeNew(name, "-d", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("is not a valid function name")
                .endsWith("See 'surge new --help'.\n").doesNotContain("Usage:");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesANameWhoseClassTheTemplateUsesAlready() {
        assertThat(surgeNew("input", "-d", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("would name the function's class Input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme.class", "com..acme", "1com.acme", "com.acme.", "com-acme", "com.$acme"})
    void refusesAPackageThatIsNoJavaPackage(String pkg) {
        int code = surgeNew("audit", "--package", pkg, "-d", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--package: '" + pkg + "' is not a Java package name");
        assertThat(dir).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop order", "shop:order", "{shop}", ".shop", "shop\"order"})
    void refusesAnEventTypeThatCannotBeWrittenIntoTheProject(String type) {
        assertThat(surgeNew("audit", "--event-type", type, "-d", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--event-type: '" + type + "' cannot be used");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesAGroupIdThatMakesNoDefaultPackage() {
        assertThat(surgeNew("audit", "--group-id", "com.acme.new", "-d", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("the default package 'com.acme.new.audit'");
    }

    @Test
    void refusesAnExistingFolderAndLeavesItAlone() throws IOException {
        Path mine = Files.createDirectory(dir.resolve("audit"));
        Files.writeString(mine.resolve("notes.txt"), "mine");

        int code = surgeNew("audit", "-d", dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains(mine + " exists already");
        try (Stream<Path> files = Files.list(mine)) {
            assertThat(files).containsExactly(mine.resolve("notes.txt"));
        }
    }

    @Test
    void refusesADirectoryThatIsNoFolder() {
        int code = surgeNew("audit", "-d", dir.resolve("missing").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("--directory " + dir.resolve("missing") + " is not a folder");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void saysWhenMavenCannotBeRun() {
        int code = surgeNew("audit", "-d", dir.toString(), "--maven", dir.resolve("no-maven").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("is not an executable file");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void showsWhyMavenFailedAndLeavesNothingBehind() throws IOException {
        Path maven = dir.resolve("mvn");
        Files.writeString(maven, """
                #!/bin/sh
                echo "[ERROR] The desired archetype does not exist (dev.surge:surge-function-archetype:0.1.0-SNAPSHOT)"
                exit 1
                """);
        maven.toFile().setExecutable(true);
        Path projects = Files.createDirectory(dir.resolve("projects"));

        int code = surgeNew("audit", "-d", projects.toString(), "--maven", maven.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Maven could not generate the project (exit 1)")
                .contains("is Surge built?").contains("'./mvnw package' in Surge's folder installs them")
                .contains("| [ERROR] The desired archetype does not exist");
        assertThat(projects).as("no project, no staging folder").isEmptyDirectory();
    }

    @Test
    void helpShowsTheOptionsAndTheExitCodes() {
        assertThat(surgeNew("--help")).isZero();
        assertThat(out.toString()).contains("Usage: new", "NAME", "--package", "--add-to", "--namespace", "--broker",
                "Exit codes:", "0   the project was created", "2   bad arguments");
    }

    /** The examples of functions/ are what the template generates for them, plus their own code. */
    @Test
    void theExampleFunctionsHaveTheShapeTheTemplateGenerates() throws Exception {
        int code = surgeNew("greeter", "--group-id", "dev.surge", "--package", "dev.surge.functions.greeter",
                "-d", dir.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        Path generated = dir.resolve("greeter");

        for (String example : new String[] {"greeter", "orders"}) {
            Path own = FUNCTIONS.resolve(example);
            assertThat(Files.readString(own.resolve("pom.xml")))
                    .isEqualTo(Files.readString(generated.resolve("pom.xml")).replace(">greeter<", ">" + example + "<"));
            Properties template = properties(generated.resolve("src/main/resources/application.properties"));
            Properties props = properties(own.resolve("src/main/resources/application.properties"));
            // the template's Quarkus settings; "greeting" is the template's own domain, as the examples have theirs
            assertThat(props.stringPropertyNames()).containsAll(template.stringPropertyNames().stream()
                    .filter(k -> k.startsWith("quarkus.") || k.startsWith("%test.")).toList());
            assertThat(props).containsEntry("quarkus.container-image.name", example);
            assertThat(own.resolve("helm/values.yaml")).isRegularFile();
            assertThat(own.resolve("README.md")).isRegularFile();
            ResourceSet local = ResourceLoader.load(own.resolve("surge.yaml"));
            assertThat(local.functions()).isNotEmpty().allSatisfy(f ->
                    assertThat(f.path()).isEqualTo(own.resolve("target/quarkus-app").toString()));
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        return p;
    }
}

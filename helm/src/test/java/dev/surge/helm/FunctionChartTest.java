package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import dev.surge.helm.Charts.Rendered;
import dev.surge.kubernetes.api.CrdValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm/function: one Function and its Triggers from values, checked against the CRDs' schemas. */
class FunctionChartTest {
    /** Every field of the Function and of a Trigger given, as in operator/api's examples. */
    static final String FULL = """
            function:
              name: packer
              image: ghcr.io/acme/packer:1.0
              port: 9000
              env: {GREETING: Hello, WORKERS: "4"}
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {memory: 256Mi}
              concurrency: 50
              scaling:
                minReplicas: 1
                maxReplicas: 10
                lagThreshold: 20
                activationLagThreshold: 5
                cooldownPeriod: PT5M
                pollingInterval: PT0.5S
                stabilizationWindow: PT0S
            triggers:
              - name: pack
                broker: orders
                filter:
                  attributes: {type: shop.order.placed}
                filters:
                  - prefix: {source: /shop}
                  - suffix: {subject: .json}
                  - any: [{exact: {lang: en}}, {not: {exact: {lang: fr}}}]
                  - all: [{prefix: {type: shop}}, {any: [{exact: {a: b}}, {cesql: "EXISTS c"}]}]
                  - cesql: "EXISTS orderid"
                delivery:
                  retry: 5
                  backoffPolicy: linear
                  backoffDelay: PT0.5S
                  backoffCap: PT10S
                  timeout: PT10S
                  ordering: keyed
                  maxInFlight: 10
                  deadLetterSink: {topic: surge.shop.dead-letters}
              - name: repack
                broker: returns
                delivery:
                  deadLetterSink: {function: returns-desk}
            """;

    @Test
    void lintStrictFindsNothing() {
        LintResult lint = Charts.lintStrict(Charts.FUNCTION);
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
    }

    @Test
    void theDefaultsAreTheGreeterWithOneTriggerNamedAfterTheRelease() {
        Rendered rendered = Charts.render(Charts.FUNCTION, "");
        assertValid(rendered);
        JsonNode function = rendered.get("Function", "greeter");
        assertThat(function.at("/metadata/namespace").asText()).isEqualTo("demo");
        assertThat(function.at("/spec/image").asText()).isEqualTo("ghcr.io/surge-dev/greeter:1.0.0-SNAPSHOT");
        assertThat(function.at("/spec/port").asInt()).isEqualTo(8080);
        assertThat(function.at("/spec/scaling").isMissingNode()).as("no empty scaling: the CRD's defaults apply").isTrue();
        assertThat(function.at("/spec/env").isMissingNode()).isTrue();
        JsonNode trigger = rendered.get("Trigger", "greet");
        assertThat(trigger.at("/spec/broker").asText()).isEqualTo("default");
        assertThat(trigger.at("/spec/function").asText()).isEqualTo("greeter");
        assertThat(trigger.at("/spec/filter/attributes/type").asText()).isEqualTo("dev.surge.greet");
        assertThat(trigger.at("/spec/uri").isMissingNode()).isTrue();
        assertThat(rendered.objects()).hasSize(2);
    }

    @Test
    void everyFieldGivenReachesTheResourcesAsGiven() throws IOException {
        Rendered rendered = Charts.render(Charts.FUNCTION, FULL);
        assertValid(rendered);
        JsonNode values = Charts.YAML.readTree(FULL);
        JsonNode function = rendered.get("Function", "packer");
        assertThat(function.path("spec")).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) values
                .path("function").deepCopy()).without("name"));
        for (JsonNode t : values.path("triggers")) {
            JsonNode trigger = rendered.get("Trigger", t.path("name").asText());
            var expected = ((com.fasterxml.jackson.databind.node.ObjectNode) t.deepCopy());
            expected.remove("name");
            expected.put("function", "packer");
            assertThat(trigger.path("spec")).isEqualTo(expected);
            assertThat(trigger.at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo("packer");
        }
        assertThat(rendered.ofKind("Trigger")).hasSize(2);
    }

    /** What {@code surge deploy greeter --image …} passes: {@code --set-string function.name=… function.image=…}. */
    @Test
    void surgeDeploysNameAndImageAreTheFunctionsNameAndImage() {
        Rendered rendered = Charts.render(Charts.FUNCTION, "greeter", "demo",
                "function: {name: hello, image: 'registry.acme.dev/hello:2'}", "1.26.0");
        assertValid(rendered);
        assertThat(rendered.get("Function", "hello").at("/spec/image").asText()).isEqualTo("registry.acme.dev/hello:2");
        assertThat(rendered.get("Function", "hello").at("/spec/name").isMissingNode()).isTrue();
        assertThat(rendered.get("Trigger", "greet").at("/spec/function").asText()).isEqualTo("hello");
    }

    /**
     * The values files that ship with the example functions and the function template (functions/*&#47;helm/), as
     * their READMEs install them: {@code helm install NAME helm/function -f helm/values.yaml --set function.image=…}.
     */
    @Test
    void theExampleFunctionsValuesFilesRenderValidResources() throws IOException {
        Path functions = Charts.dir("..").resolve("functions");
        List<Path> files = new ArrayList<>();
        try (var found = Files.walk(functions)) {
            found.filter(f -> f.getParent().getFileName().toString().equals("helm") && f.toString().endsWith(".yaml"))
                    .filter(f -> !f.toString().contains("/target/")).sorted().forEach(files::add);
        }
        assertThat(files).extracting(f -> functions.relativize(f).toString()).contains("greeter/helm/values.yaml",
                "orders/helm/values.yaml", "orders/helm/inventory.yaml", "orders/helm/confirmation.yaml");
        for (Path file : files) {
            // the template's placeholders as 'surge new order-audit --event-type shop.order.placed' fills them
            String values = Files.readString(file).replace("${artifactId}", "order-audit").replace("${version}",
                    "1.0.0-SNAPSHOT").replace("${eventType}", "shop.order.placed");
            Rendered rendered = Charts.render(Charts.FUNCTION, "release", "demo", values + "\n", "1.26.0");
            assertValid(rendered);
            String name = Charts.YAML.readTree(values).at("/function/name").asText();
            assertThat(rendered.get("Function", name)).as(file.toString()).isNotNull();
            assertThat(rendered.ofKind("Trigger")).as(file.toString()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.at("/spec/function").asText()).isEqualTo(name));
        }
    }

    /**
     * The README's install of the greeter, built and pushed to registry.example.com/acme: {@code --set
     * global.imageRegistry=registry.example.com/acme}, the same value as the surge chart's.
     */
    @Test
    void globalImageRegistryPutsTheFunctionsImageUnderTheUsersRegistry() throws IOException {
        String acme = "global: {imageRegistry: registry.example.com/acme}\n";
        assertThat(Charts.render(Charts.FUNCTION, acme).get("Function", "greeter").at("/spec/image").asText())
                .isEqualTo("registry.example.com/acme/greeter:1.0.0-SNAPSHOT");
        // the name and tag of any function.image, with or without a registry of its own
        assertThat(Charts.render(Charts.FUNCTION, acme + FULL).get("Function", "packer").at("/spec/image").asText())
                .isEqualTo("registry.example.com/acme/packer:1.0");
        assertThat(Charts.render(Charts.FUNCTION, acme + "function: {image: 'order-audit:1.0.0-SNAPSHOT'}")
                .get("Function", "greeter").at("/spec/image").asText())
                .isEqualTo("registry.example.com/acme/order-audit:1.0.0-SNAPSHOT");
        assertThat(Charts.render(Charts.FUNCTION, "global: {imageRegistry: 'localhost:5000'}\n"
                + "function: {image: 'localhost:5001/greeter@sha256:" + "0".repeat(64) + "'}")
                .get("Function", "greeter").at("/spec/image").asText())
                .isEqualTo("localhost:5000/greeter@sha256:" + "0".repeat(64));
        // one value for both charts: the same rule in both schemas
        JsonNode function = Charts.JSON.readTree(Charts.dir(Charts.FUNCTION).resolve("values.schema.json").toFile());
        JsonNode surge = Charts.JSON.readTree(Charts.dir(Charts.SURGE).resolve("values.schema.json").toFile());
        assertThat(function.at("/properties/global/properties/imageRegistry/pattern").asText())
                .isNotEmpty().isEqualTo(surge.at("/definitions/registry/pattern").asText());
    }

    @Test
    void noTriggersIsAFunctionAlone() {
        Rendered rendered = Charts.render(Charts.FUNCTION, "triggers: []");
        assertValid(rendered);
        assertThat(rendered.objects()).extracting(o -> o.path("kind").asText()).containsExactly("Function");
    }

    /**
     * The chart's schema holds the CRDs': for every field of a Function's spec (but path, local mode's) and of a
     * Trigger's (but its target), the same type and constraints; no field the CRD lacks, none it has left out.
     */
    @Test
    void theValuesSchemaHasTheCrdsConstraintsForEveryField() throws IOException {
        JsonNode schema = Charts.JSON.readTree(Charts.dir(Charts.FUNCTION).resolve("values.schema.json").toFile());
        List<String> differences = new ArrayList<>();
        compare(specSchema("Function"), schema.at("/properties/function"), "function", Set.of("path"), differences);
        compare(specSchema("Trigger"), schema.at("/properties/triggers/items"), "triggers[]", Set.of("function", "uri"),
                differences);
        // the names: the CRDs' rules for metadata.name (the Function's may also be empty: the release name)
        JsonNode functionName = CrdValidator.of("Function").schema().at("/properties/metadata/properties/name");
        assertThat(schema.at("/properties/function/properties/name/pattern").asText())
                .isEqualTo("^$|" + functionName.path("pattern").asText());
        assertThat(schema.at("/properties/function/properties/name/maxLength").asInt())
                .isEqualTo(functionName.path("maxLength").asInt());
        compare(CrdValidator.of("Trigger").schema().at("/properties/metadata/properties/name"),
                schema.at("/properties/triggers/items/properties/name"), "triggers[].name", Set.of(), differences);
        assertThat(differences).as("regenerate with: python3 helm/function/generate-schema.py").isEmpty();
        assertThat(schema.at("/properties/function/required")).extracting(JsonNode::asText).containsExactly("image");
        assertThat(schema.at("/properties/triggers/items/required")).extracting(JsonNode::asText)
                .containsExactly("name", "broker");
    }

    static final Set<String> CONSTRAINTS = Set.of("type", "minimum", "maximum", "pattern", "enum", "minLength",
            "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "format", "anyOf",
            "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields");

    static void compare(JsonNode crd, JsonNode chart, String path, Set<String> leftOut, List<String> differences) {
        for (String keyword : CONSTRAINTS) {
            if (!same(crd.path(keyword), chart.path(keyword))) {
                differences.add(path + ": " + keyword + " is " + chart.path(keyword) + " in the chart, " + crd.path(keyword)
                        + " in the CRD");
            }
        }
        Set<String> crdFields = new java.util.TreeSet<>();
        crd.path("properties").fieldNames().forEachRemaining(crdFields::add);
        crdFields.removeAll(leftOut);
        Set<String> chartFields = new java.util.TreeSet<>();
        chart.path("properties").fieldNames().forEachRemaining(chartFields::add);
        if (path.equals("triggers[]") || path.equals("function")) {
            chartFields.remove("name"); // the chart's own: the resource's metadata.name
        }
        if (!crdFields.equals(chartFields)) {
            differences.add(path + ": fields " + chartFields + " in the chart, " + crdFields + " in the CRD");
        }
        // an object with fields refuses others in the chart (the API server would prune them silently)
        if (crd.has("properties") && !crd.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                && !chart.path("additionalProperties").equals(Charts.JSON.getNodeFactory().booleanNode(false))) {
            differences.add(path + ": unknown fields are not refused");
        }
        for (String field : crdFields) {
            compare(crd.path("properties").path(field), chart.path("properties").path(field), path + "." + field,
                    Set.of(), differences);
        }
        if (crd.has("items")) {
            compare(crd.path("items"), chart.path("items"), path + "[]", Set.of(), differences);
        }
        if (crd.path("additionalProperties").isObject()) {
            compare(crd.path("additionalProperties"), chart.path("additionalProperties"), path + ".*", Set.of(),
                    differences);
        }
    }

    /** Equal, numbers by value (the CRD read by fabric8 has longs and doubles where the JSON file has ints). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isContainerNode() && b.isContainerNode() && a.size() == b.size()) {
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    if (!same(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return b.isArray();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!b.has(f.getKey()) || !same(f.getValue(), b.get(f.getKey()))) {
                    return false;
                }
            }
            return b.isObject();
        }
        return a.equals(b);
    }

    static JsonNode specSchema(String kind) {
        return CrdValidator.of(kind).schema().at("/properties/spec");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no image                           | function: {image: ''}                                         | at '/function/image'
            a registry with a scheme           | global: {imageRegistry: 'https://registry.example.com'}       | at '/global/imageRegistry'
            a port out of range                | function: {port: 70000}                                       | at '/function/port'
            a misspelt field                   | function: {scalling: {minReplicas: 1}}                        | at '/function': additional properties 'scalling' not allowed
            path, which is local mode's        | function: {path: target/quarkus-app}                          | at '/function': additional properties 'path' not allowed
            maxReplicas zero                   | function: {scaling: {maxReplicas: 0}}                         | at '/function/scaling/maxReplicas'
            a cooldown in Go's format          | function: {scaling: {cooldownPeriod: 30s}}                    | at '/function/scaling/cooldownPeriod'
            maxReplicas below minReplicas      | function: {scaling: {minReplicas: 3, maxReplicas: 2}}         | function.scaling.maxReplicas (2) must not be below function.scaling.minReplicas (3)
            a name that is no DNS label        | function: {name: Greeter}                                     | at '/function/name'
            a name starting with a digit       | function: {name: 2fast}                                       | at '/function/name'
            a Trigger without a Broker         | triggers: [{name: t}]                                         | at '/triggers/0': missing property 'broker'
            a Trigger without a name           | triggers: [{broker: b}]                                       | at '/triggers/0': missing property 'name'
            a Trigger with its own target      | triggers: [{name: t, broker: b, uri: 'http://x'}]             | at '/triggers/0': additional properties 'uri' not allowed
            an empty exact filter              | triggers: [{name: t, broker: b, filters: [{exact: {}}]}]      | at '/triggers/0/filters/0/exact'
            two dialects in one filter         | triggers: [{name: t, broker: b, filters: [{exact: {a: b}, prefix: {a: b}}]}] | at '/triggers/0/filters/0'
            an unknown dialect                 | triggers: [{name: t, broker: b, filters: [{regex: {a: b}}]}]  | at '/triggers/0/filters/0'
            an unknown backoff policy          | triggers: [{name: t, broker: b, delivery: {backoffPolicy: random}}] | at '/triggers/0/delivery/backoffPolicy'
            two dead-letter sinks              | triggers: [{name: t, broker: b, delivery: {deadLetterSink: {topic: x, uri: 'http://y'}}}] | at '/triggers/0/delivery/deadLetterSink'
            a negative retry                   | triggers: [{name: t, broker: b, delivery: {retry: -1}}]       | at '/triggers/0/delivery/retry'
            the same Trigger twice             | triggers: [{name: t, broker: b}, {name: t, broker: c}]        | triggers: the name 't' is given twice
            """)
    void wrongValuesAreRefusedNamingThem(String what, String values, String message) {
        assertThatThrownBy(() -> Charts.render(Charts.FUNCTION, values)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aReleaseNameThatIsNoFunctionNameIsRefusedUnlessFunctionNameIsGiven() {
        // Helm allows dots in release names; a Function's name is a DNS label
        assertThatThrownBy(() -> Charts.render(Charts.FUNCTION, "greeter.v2", "demo", "", "1.26.0"))
                .hasMessageContaining("function.name: 'greeter.v2' (default: the release name) must be a DNS-1035 label");
        // a Function's Service is named after it: a name starting with a digit is refused too
        assertThatThrownBy(() -> Charts.render(Charts.FUNCTION, "2fast", "demo", "", "1.26.0"))
                .hasMessageContaining("function.name: '2fast'");
        assertThat(Charts.render(Charts.FUNCTION, "greeter.v2", "demo", "function: {name: greeter-v2}", "1.26.0")
                .get("Trigger", "greet").at("/spec/function").asText()).isEqualTo("greeter-v2");
    }

    static void assertValid(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        rendered.objects().forEach(o -> problems.addAll(KubernetesSchemas.violations(o)));
        assertThat(problems).isEmpty();
        for (JsonNode o : rendered.objects()) {
            assertThat(o.path("apiVersion").asText()).isEqualTo("surge.dev/v1alpha1");
            assertThat(o.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm");
        }
    }
}

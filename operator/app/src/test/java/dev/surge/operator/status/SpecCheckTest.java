package dev.surge.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.ResourceId;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.ResourceSelection;
import dev.surge.kubernetes.api.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the operator refuses before writing anything: what the API server would refuse in the Function's Deployment
 * or Service, and Triggers that the dispatchers would not run, each with the field and what to do.
 */
class SpecCheckTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a Deployment may be named 2fast, its Service may not
            "2fast | {image: fast:1}"
                    + " | metadata.name: '2fast' must start with a letter, as the Function's Kubernetes Service takes"
                    + " this name (a DNS-1035 label); rename it, e.g. to 'fn-2fast'",
            "greeter | {image: greeter:1, env: {2FA_SECRET: x}}"
                    + " | spec.env.2FA_SECRET: '2FA_SECRET' is not a valid environment variable name",
            "greeter | {image: greeter:1, env: {'MY VAR': x}}"
                    + " | spec.env.MY VAR: 'MY VAR' is not a valid environment variable name",
            "greeter | {image: greeter:1, resources: {requests: {cpu: lots}}}"
                    + " | spec.resources.requests.cpu: 'lots' is not a quantity: write a number with an optional suffix",
            "greeter | {image: greeter:1, resources: {limits: {memory: '-1Gi'}}}"
                    + " | spec.resources.limits.memory: must not be negative",
            "greeter | {image: greeter:1, resources: {requests: {cpu: '2'}, limits: {cpu: '1'}}}"
                    + " | spec.resources.requests.cpu: '2' must not be above the limit (spec.resources.limits.cpu: '1')",
            "greeter | {path: functions/greeter/target/quarkus-app}"
                    + " | spec.image: a Function on Kubernetes needs a container image" })
    void whatTheApiServerWouldRefuseInAFunctionsWorkloadIsAnInvalidSpec(String name, String spec, String message) {
        SpecCheck.Checked<dev.surge.core.resource.Function> checked = SpecCheck.function(
                resource(Function.class, "Function", name, spec));

        assertThat(checked.valid()).isFalse();
        assertThat(checked.resource()).isNull();
        assertThat(checked.problem().ready()).isFalse();
        assertThat(checked.problem().reason()).isEqualTo("InvalidSpec");
        assertThat(checked.problem().message()).startsWith(message);
    }

    @Test
    void aFunctionWithEveryFormOfEnvNameAndQuantityIsValid() {
        SpecCheck.Checked<dev.surge.core.resource.Function> checked = SpecCheck.function(resource(Function.class,
                "Function", "f2", "{image: f:1, env: {my.var: a, _X: b, -y: c},"
                        + " resources: {requests: {cpu: 100m, memory: 0.5Gi}, limits: {cpu: '2', memory: 1G}}}"));

        assertThat(checked.valid()).isTrue();
        assertThat(checked.resource().env()).containsOnlyKeys("my.var", "_X", "-y");
    }

    static final Broker BROKER = resource(Broker.class, "Broker", "orders", "{partitions: 3}");
    static final Broker BAD_BROKER = resource(Broker.class, "Broker", "orders", "{partitions: 0}");
    static final Function PACKER = resource(Function.class, "Function", "packer", "{image: packer:1}");
    static final Function LOCAL_PACKER = resource(Function.class, "Function", "packer", "{path: app}");
    static final Function MOURNER = resource(Function.class, "Function", "mourner", "{image: mourner:1}");
    static final Function BAD_MOURNER = resource(Function.class, "Function", "mourner", "{image: m:1, port: 0}");
    static final Trigger PACK = resource(Trigger.class, "Trigger", "pack",
            "{broker: orders, function: packer, delivery: {deadLetterSink: {function: mourner}}}");

    @Test
    void aTriggerWhoseBrokerAndFunctionsAreThereAndValidIsValid() {
        SpecCheck.Checked<dev.surge.core.resource.Trigger> checked = SpecCheck.trigger(PACK,
                lookup(BROKER, PACKER, MOURNER));

        assertThat(checked.valid()).isTrue();
        assertThat(checked.resource().function()).isEqualTo("packer");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "broker missing | BrokerNotFound"
                    + " | spec.broker: there is no Broker 'orders' in namespace shop; create it, or name an existing Broker",
            "broker invalid | BrokerInvalid"
                    + " | spec.broker: Broker 'orders' in namespace shop is invalid (spec.partitions: must be a whole"
                    + " number from 1 to 10000, not '0'); fix it, or name another Broker",
            "function missing | FunctionNotFound"
                    + " | spec.function: there is no Function 'packer' in namespace shop; create it, or name an existing"
                    + " Function",
            "function without image | FunctionInvalid"
                    + " | spec.function: Function 'packer' in namespace shop is invalid (spec.image: a Function on"
                    + " Kubernetes needs a container image (spec.path is for local mode only); set spec.image); fix it,"
                    + " or name another Function",
            "dead-letter function missing | FunctionNotFound"
                    + " | spec.delivery.deadLetterSink.function: there is no Function 'mourner' in namespace shop; create"
                    + " it, or name an existing Function",
            "dead-letter function invalid | FunctionInvalid"
                    + " | spec.delivery.deadLetterSink.function: Function 'mourner' in namespace shop is invalid"
                    + " (spec.port: must be a whole number from 1 to 65535, not '0'); fix it, or name another Function" })
    void aTriggerThatTheDispatchersWouldNotRunSaysWhichResourceIsMissingOrInvalid(String wrong, String reason,
            String message) {
        List<HasMetadata> named = switch (wrong) {
            case "broker missing" -> List.of(PACKER, MOURNER);
            case "broker invalid" -> List.of(BAD_BROKER, PACKER, MOURNER);
            case "function missing" -> List.of(BROKER, MOURNER);
            case "function without image" -> List.of(BROKER, LOCAL_PACKER, MOURNER);
            case "dead-letter function missing" -> List.of(BROKER, PACKER);
            case "dead-letter function invalid" -> List.of(BROKER, PACKER, BAD_MOURNER);
            default -> throw new IllegalArgumentException(wrong);
        };

        SpecCheck.Checked<dev.surge.core.resource.Trigger> checked = SpecCheck.trigger(PACK,
                lookup(named.toArray(HasMetadata[]::new)));

        assertThat(checked.valid()).isFalse();
        assertThat(checked.problem().reason()).isEqualTo(reason);
        assertThat(checked.problem().message()).isEqualTo(message);
    }

    @Test
    void aTriggersOwnProblemsComeBeforeWhatItNames() {
        Trigger bad = resource(Trigger.class, "Trigger", "bad", "{broker: nowhere, uri: 'ftp://x/'}");

        SpecCheck.Checked<dev.surge.core.resource.Trigger> checked = SpecCheck.trigger(bad, lookup());

        assertThat(checked.problem().reason()).isEqualTo("InvalidSpec");
        assertThat(checked.problem().message()).startsWith("spec.uri: 'ftp://x/' must be an absolute http or https URL");
    }

    private static ResourceSelection.Lookup lookup(HasMetadata... resources) {
        return id -> List.of(resources).stream()
                .filter(r -> new ResourceId(r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName())
                        .equals(id))
                .findFirst().orElse(null);
    }

    private static <R extends HasMetadata> R resource(Class<R> type, String kind, String name, String spec) {
        return SERIALIZATION.unmarshal("apiVersion: surge.dev/v1alpha1\nkind: " + kind + "\nmetadata: {name: '" + name
                + "', namespace: shop}\nspec: " + spec + "\n", type);
    }
}

package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wrong values for helm/surge are refused before anything is installed, by values.schema.json or by the chart's own
 * checks, with a message that names the value ({@code helm install} prints the same message).
 */
class SurgeChartValuesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no Kafka cluster                      | kafka: {bootstrapServers: ''}                               | at '/kafka/bootstrapServers': '' does not match pattern
            a Kafka address without a port        | kafka: {bootstrapServers: 'kafka.kafka.svc'}                | at '/kafka/bootstrapServers'
            an unknown security protocol          | kafka: {security: {protocol: TLS}}                          | at '/kafka/security/protocol'
            an unknown SASL mechanism             | kafka: {security: {sasl: {mechanism: GSSAPI}}}              | at '/kafka/security/sasl/mechanism'
            a Kafka setting that is not a string  | kafka: {config: {linger.ms: 5}}                             | at '/kafka/config/linger.ms': got number, want string
            a Kafka setting the chart sets itself | kafka: {config: {sasl.jaas.config: x}}                      | at '/kafka/config'
            a misspelt value                      | dispatcher: {replica: 2}                                    | at '/dispatcher': additional properties 'replica' not allowed
            replicas as text                      | ingress: {replicas: two}                                    | at '/ingress/replicas': got string, want integer
            no operator                           | operator: {replicas: 0}                                     | at '/operator/replicas'
            a namespace that is no DNS label      | watchNamespaces: [Shop]                                     | at '/watchNamespaces/0'
            a namespace given twice               | watchNamespaces: [shop, shop]                               | at '/watchNamespaces'
            an unknown pull policy                | runtime: {image: {pullPolicy: Sometimes}}                   | at '/runtime/image/pullPolicy'
            an image without a repository         | operator: {image: {repository: ''}}                         | at '/operator/image/repository'
            a repository with its tag             | runtime: {image: {repository: 'surge-runtime:1.0'}}         | at '/runtime/image/repository'
            a repository with its registry        | operator: {image: {repository: registry.example.com/acme/surge-operator}} | operator.image.repository: 'registry.example.com/acme/surge-operator' begins with a registry; give the registry (and path) in operator.image.registry or global.imageRegistry
            a registry with a scheme              | global: {imageRegistry: 'https://registry.example.com'}    | at '/global/imageRegistry'
            a registry ending in a slash          | runtime: {image: {registry: 'registry.example.com/acme/'}}  | at '/runtime/image/registry'
            a quantity that is none               | ingress: {resources: {requests: {cpu: lots}}}               | at '/ingress/resources/requests/cpu'
            a Service type that does not exist    | ingress: {service: {type: Ingress}}                         | at '/ingress/service/type'
            a port out of range                   | ingress: {service: {port: 70000}}                           | at '/ingress/service/port'
            root as the user                      | securityContext: {runAsUser: 0}                             | at '/securityContext/runAsUser'
            an ingress URL that is no URL         | operator: {ingressUrl: 'surge-ingress'}                     | at '/operator/ingressUrl'
            a scrape interval Prometheus refuses  | serviceMonitor: {enabled: true, interval: 30}               | at '/serviceMonitor/interval'
            SASL without its Secret               | kafka: {security: {protocol: SASL_SSL}}                     | kafka.security.sasl.credentialsSecret.name: kafka.security.protocol SASL_SSL needs the Secret
            two operators without leader election | operator: {replicas: 2, leaderElection: {enabled: false, leaseName: l}} | operator.leaderElection.enabled: 2 operator replicas need leader election
            """)
    void isRefusedNamingTheValue(String what, String values, String message) {
        assertThatThrownBy(() -> Charts.render(Charts.SURGE, values)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            several bootstrap servers   | kafka: {bootstrapServers: 'a:9092,b.kafka.svc:9093'}
            a percentage for the PDB    | dispatcher: {podDisruptionBudget: {enabled: true, maxUnavailable: '50%'}}
            a fractional CPU            | ingress: {resources: {requests: {cpu: 0.5}}}
            a NodePort Service          | ingress: {service: {type: NodePort, port: 80}}
            a registry with a port      | global: {imageRegistry: 'localhost:5000'}
            a registry with a path      | global: {imageRegistry: 'europe-docker.pkg.dev/acme-prod/surge'}
            a repository with a path    | operator: {image: {registry: docker.io, repository: acme/surge-operator}}
            """)
    void isAccepted(String what, String values) {
        assertThat(Charts.render(Charts.SURGE, values).ofKind("Deployment")).hasSize(3);
    }
}

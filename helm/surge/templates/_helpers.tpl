{{/*
Names. The release "surge" gives surge-operator, surge-ingress, surge-dispatcher (the operator's default ingress URL,
http://surge-ingress.surge.svc, is that of the release "surge" in the namespace "surge").
*/}}
{{- define "surge.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains "surge" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-surge" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "surge.name" -}}
{{- printf "%s-%s" (include "surge.fullname" .root) .component -}}
{{- end -}}

{{/* Labels of every object; .component: operator, ingress or dispatcher. */}}
{{- define "surge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "surge.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: surge
{{- end -}}

{{/* The labels a component's Deployment selects its pods by (and the NetworkPolicy the dispatchers by). */}}
{{- define "surge.selectorLabels" -}}
app.kubernetes.io/name: surge
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "surge.serviceAccountName" -}}
{{- include "surge.name" . -}}
{{- end -}}

{{/*
The image of a component, <registry>/<repository>:<tag>: .image is operator.image or runtime.image; global.imageRegistry
replaces the image's registry (Bitnami's convention); the tag defaults to the appVersion.
*/}}
{{- define "surge.image" -}}
{{- $registry := .root.Values.global.imageRegistry | default .image.registry -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
The rules of one kind (ClusterRole or Role) in files/rbac/<file>.yaml, as they are in the file: the single source of
Surge's RBAC, which the operator's and the runtime's tests bind to ServiceAccounts on a real API server. The chart only
names, labels and binds them.
*/}}
{{- define "surge.rbacRules" -}}
{{- $found := list -}}
{{- $path := printf "files/rbac/%s.yaml" .file -}}
{{- $text := .root.Files.Get $path -}}
{{- if not $text -}}{{- fail (printf "%s is missing from the chart" $path) -}}{{- end -}}
{{- range $doc := regexSplit "(?m)^---[ \t]*$" $text -1 -}}
{{- $object := fromYaml $doc -}}
{{- if eq (get $object "kind") $.kind -}}{{- $found = append $found $object -}}{{- end -}}
{{- end -}}
{{- if ne (len $found) 1 -}}
{{- fail (printf "%s: expected one %s, found %d" $path .kind (len $found)) -}}
{{- end -}}
{{- toYaml (get (first $found) "rules") -}}
{{- end -}}

{{/*
Binds ClusterRole <fullname>-<component> to the component's ServiceAccount: cluster-wide when watchNamespaces is empty
(a watch across namespaces is a cluster-scoped request), else with a RoleBinding in each watched namespace.
*/}}
{{- define "surge.clusterRoleBindings" -}}
{{- $name := include "surge.name" . -}}
{{- if empty .root.Values.watchNamespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "surge.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ .root.Release.Namespace }}
{{- else }}
{{- range $ns := .root.Values.watchNamespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $ns }}
  labels:
    {{- include "surge.labels" $ | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ $.root.Release.Namespace }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Restricted pod security (the Pod Security Standards' "restricted" profile), for every pod of the chart. */}}
{{- define "surge.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "surge.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "surge.probes" -}}
startupProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 5
  failureThreshold: 3
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
  failureThreshold: 3
{{- end -}}

{{/* Kafka: whether the client properties refer to credentials in environment variables. */}}
{{- define "surge.kafka.sasl" -}}
{{- if has .Values.kafka.security.protocol (list "SASL_PLAINTEXT" "SASL_SSL") }}true{{ end -}}
{{- end -}}

{{- define "surge.kafka.tls" -}}
{{- if has .Values.kafka.security.protocol (list "SSL" "SASL_SSL") }}true{{ end -}}
{{- end -}}

{{- define "surge.kafka.keystore" -}}
{{- if and (include "surge.kafka.tls" .) .Values.kafka.security.tls.clientSecret.name }}true{{ end -}}
{{- end -}}

{{/* The Kafka client properties file every component reads (surge.kafka.client-properties-file). */}}
{{- define "surge.kafka.properties" -}}
{{- $s := .Values.kafka.security -}}
# Rendered by the chart from the values kafka.security and kafka.config. Secrets are not in this file: Kafka's
# EnvVarConfigProvider reads them from environment variables that come from the Secrets the values name.
security.protocol={{ $s.protocol }}
{{- if or (include "surge.kafka.sasl" .) (include "surge.kafka.keystore" .) }}
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
{{- end }}
{{- if include "surge.kafka.tls" . }}
{{- if $s.tls.caSecret.name }}
ssl.truststore.type=PEM
ssl.truststore.location=/etc/surge/kafka/ca/{{ $s.tls.caSecret.key }}
{{- end }}
{{- if include "surge.kafka.keystore" . }}
ssl.keystore.type=PKCS12
ssl.keystore.location=/etc/surge/kafka/client/{{ $s.tls.clientSecret.keystoreKey }}
ssl.keystore.password=${env:SURGE_KAFKA_KEYSTORE_PASSWORD}
{{- end }}
{{- if not $s.tls.endpointIdentification }}
ssl.endpoint.identification.algorithm=
{{- end }}
{{- end }}
{{- if include "surge.kafka.sasl" . }}
sasl.mechanism={{ $s.sasl.mechanism }}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $s.sasl.mechanism "PLAIN") }}
sasl.jaas.config={{ $module }} required username="${env:SURGE_KAFKA_SASL_USERNAME}" password="${env:SURGE_KAFKA_SASL_PASSWORD}";
{{- end }}
{{- range $key, $value := .Values.kafka.config }}
{{ $key }}={{ $value }}
{{- end }}
{{- end -}}

{{/* Environment of every component's container: the Kafka cluster, the credentials, the JVM. */}}
{{- define "surge.kafka.env" -}}
- name: SURGE_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: SURGE_KAFKA_CLIENT_PROPERTIES_FILE
  value: /etc/surge/kafka/config/client.properties
{{- if include "surge.kafka.sasl" . }}
- name: SURGE_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.security.sasl.credentialsSecret.name }}
      key: {{ .Values.kafka.security.sasl.credentialsSecret.usernameKey }}
- name: SURGE_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.security.sasl.credentialsSecret.name }}
      key: {{ .Values.kafka.security.sasl.credentialsSecret.passwordKey }}
{{- end }}
{{- if include "surge.kafka.keystore" . }}
- name: SURGE_KAFKA_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.security.tls.clientSecret.name }}
      key: {{ .Values.kafka.security.tls.clientSecret.passwordKey }}
{{- end }}
{{- end -}}

{{- define "surge.kafka.volumeMounts" -}}
- name: kafka-config
  mountPath: /etc/surge/kafka/config
  readOnly: true
{{- if and (include "surge.kafka.tls" .) .Values.kafka.security.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/surge/kafka/ca
  readOnly: true
{{- end }}
{{- if include "surge.kafka.keystore" . }}
- name: kafka-client
  mountPath: /etc/surge/kafka/client
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "surge.kafka.volumes" -}}
- name: kafka-config
  configMap:
    name: {{ include "surge.fullname" . }}-kafka-client
- name: tmp
  emptyDir: {}
{{- if and (include "surge.kafka.tls" .) .Values.kafka.security.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.security.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.security.tls.caSecret.key }}
        path: {{ .Values.kafka.security.tls.caSecret.key }}
{{- end }}
{{- if include "surge.kafka.keystore" . }}
- name: kafka-client
  secret:
    secretName: {{ .Values.kafka.security.tls.clientSecret.name }}
    items:
      - key: {{ .Values.kafka.security.tls.clientSecret.keystoreKey }}
        path: {{ .Values.kafka.security.tls.clientSecret.keystoreKey }}
{{- end }}
{{- end -}}

{{/* Checks across values that the schema cannot express; each failure names the values. */}}
{{- define "surge.checks" -}}
{{- if and (include "surge.kafka.sasl" .) (not .Values.kafka.security.sasl.credentialsSecret.name) -}}
{{- fail (printf "kafka.security.sasl.credentialsSecret.name: kafka.security.protocol %s needs the Secret that holds the SASL username and password" .Values.kafka.security.protocol) -}}
{{- end -}}
{{- range $component := list "operator" "runtime" -}}
{{- $repository := (get $.Values $component).image.repository -}}
{{- /* Docker's rule: a first path component with a dot or a colon, or localhost, is a registry. */ -}}
{{- if regexMatch "^([^/]*[.:][^/]*|localhost)/" $repository -}}
{{- fail (printf "%s.image.repository: '%s' begins with a registry; give the registry (and path) in %s.image.registry or global.imageRegistry, and only the image's name here" $component $repository $component) -}}
{{- end -}}
{{- end -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail (printf "operator.leaderElection.enabled: %d operator replicas need leader election (only one may reconcile)" (int .Values.operator.replicas)) -}}
{{- end -}}
{{- end -}}

{{/* Base URL of the ingress Service: a Broker's status.address is <this>/<namespace>/<broker>. */}}
{{- define "surge.ingressUrl" -}}
{{- if .Values.operator.ingressUrl -}}
{{- .Values.operator.ingressUrl -}}
{{- else -}}
{{- $port := int .Values.ingress.service.port -}}
{{- printf "http://%s-ingress.%s.svc%s" (include "surge.fullname" .) .Release.Namespace (ternary "" (printf ":%d" $port) (eq $port 80)) -}}
{{- end -}}
{{- end -}}

{{/* The PodDisruptionBudget's API: policy/v1 from Kubernetes 1.21 (1.25 removed v1beta1). */}}
{{- define "surge.pdbApiVersion" -}}
{{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version -}}policy/v1{{- else -}}policy/v1beta1{{- end -}}
{{- end -}}

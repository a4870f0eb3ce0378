{{- define "function.name" -}}
{{- .Values.function.name | default .Release.Name -}}
{{- end -}}

{{- define "function.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "function.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: surge
{{- end -}}

{{/* The Function's image: function.image, or its name and tag under global.imageRegistry when that is set. */}}
{{- define "function.image" -}}
{{- $image := .Values.function.image -}}
{{- with .Values.global.imageRegistry -}}
{{- printf "%s/%s" . ($image | splitList "/" | last) -}}
{{- else -}}
{{- $image -}}
{{- end -}}
{{- end -}}

{{/* Names and labels shared by every object of the chart. */}}

{{- define "dcc.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "dcc.labels" -}}
app.kubernetes.io/part-of: dcc-hub
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component (a service name, or "nats"). Call with (list $ "name"). */}}
{{- define "dcc.selector" -}}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/name: {{ index . 1 }}
{{- end -}}

{{- define "dcc.componentName" -}}
{{- printf "%s-%s" (include "dcc.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dcc.natsName" -}}
{{- include "dcc.componentName" (list . "nats") -}}
{{- end -}}

{{/* Every NATS server by its stable name: services connect to all of them (NATS_URL, comma-separated). */}}
{{- define "dcc.natsUrl" -}}
{{- $name := include "dcc.natsName" . -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.nats.replicas) -}}
{{- $urls = append $urls (printf "nats://%s-%d.%s.%s.svc:4222" $name $i $name $.Release.Namespace) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{- define "dcc.tlsSecret" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "dcc.fullname" .)) -}}
{{- end -}}

{{- define "dcc.natsSecret" -}}
{{- .Values.natsCredentials.existingSecret | default (printf "%s-nats-credentials" (include "dcc.fullname" .)) -}}
{{- end -}}

{{/* Pod security every container of the chart runs with. */}}
{{- define "dcc.podSecurity" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "dcc.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* A Kubernetes binary quantity (Mi, Gi, Ti) in bytes, for nats-server's store limit. */}}
{{- define "dcc.bytes" -}}
{{- $q := toString . -}}
{{- if hasSuffix "Ti" $q -}}{{ mul (trimSuffix "Ti" $q | int64) 1099511627776 }}
{{- else if hasSuffix "Gi" $q -}}{{ mul (trimSuffix "Gi" $q | int64) 1073741824 }}
{{- else if hasSuffix "Mi" $q -}}{{ mul (trimSuffix "Mi" $q | int64) 1048576 }}
{{- else -}}{{ fail (printf "nats.jetstream size %s: use Mi, Gi or Ti" $q) }}
{{- end -}}
{{- end -}}

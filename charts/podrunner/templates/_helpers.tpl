{{/* Name of the chart, or nameOverride. */}}
{{- define "podrunner.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: <release>-podrunner unless the release says podrunner already. */}}
{{- define "podrunner.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "podrunner.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "podrunner.labels" -}}
helm.sh/chart: {{ include "podrunner.chart" . }}
{{ include "podrunner.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the runner pods. */}}
{{- define "podrunner.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podrunner.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "podrunner.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "podrunner.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret and key holding the RPC secret. */}}
{{- define "podrunner.rpcSecretName" -}}
{{- default (include "podrunner.fullname" .) .Values.rpcSecret.existingSecret }}
{{- end }}
{{- define "podrunner.rpcSecretKey" -}}
{{- if .Values.rpcSecret.existingSecret }}{{ .Values.rpcSecret.existingSecretKey }}{{ else }}DRONE_RPC_SECRET{{ end }}
{{- end }}

{{/* Namespace of a stage's pods when the pipeline names none. */}}
{{- define "podrunner.defaultBuildNamespace" -}}
{{- default .Release.Namespace .Values.env.DRONE_NAMESPACE_DEFAULT }}
{{- end }}

{{/* Build namespaces that get a Role, as a JSON list (fromJsonArray to use it). */}}
{{- define "podrunner.buildNamespaces" -}}
{{- $default := include "podrunner.defaultBuildNamespace" . }}
{{- $namespaces := list }}
{{- if ne $default "drone-" }}{{ $namespaces = append $namespaces $default }}{{ end }}
{{- toJson (concat $namespaces .Values.rbac.buildNamespaces | uniq) }}
{{- end }}

{{/* Port number of DRONE_SERVER_PORT (":3000", "0.0.0.0:3000" or "3000"). */}}
{{- define "podrunner.serverPort" -}}
{{- default ":3000" .Values.env.DRONE_SERVER_PORT | splitList ":" | last }}
{{- end }}

{{/* Seconds the kubelet waits after SIGTERM: DRONE_SHUTDOWN_GRACE plus a margin. */}}
{{- define "podrunner.terminationGracePeriodSeconds" -}}
{{- if .Values.terminationGracePeriodSeconds }}
{{- .Values.terminationGracePeriodSeconds }}
{{- else }}
{{- $grace := default "600" .Values.env.DRONE_SHUTDOWN_GRACE | toString }}
{{- if not (regexMatch "^[0-9]+$" $grace) }}
{{- fail (printf "env.DRONE_SHUTDOWN_GRACE %q is not plain seconds; set terminationGracePeriodSeconds" $grace) }}
{{- end }}
{{- add (atoi $grace) .Values.terminationGraceMargin }}
{{- end }}
{{- end }}

{{/*
What podrunner asks of the Kubernetes API in a build namespace (rbac/role.yaml;
rbac/README.md says why each is needed).
*/}}
{{- define "podrunner.buildRules" -}}
- apiGroups: [""]
  resources: [pods]
  verbs: [create, get, list, watch, patch, delete, deletecollection]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, delete, deletecollection]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [create, delete, deletecollection]
- apiGroups: [""]
  resources: [events]
  verbs: [list]
{{- end }}

{{/*
Stops rendering on values that cannot work: no server or secret, a secret in env,
per-stage namespaces without the rights. The deployment, secret and rbac templates include
it, so rendering stops at the first problem whichever template Helm renders first.
*/}}
{{- define "podrunner.validate" -}}
{{- $_ := required "env.DRONE_RPC_HOST (host[:port] of the Drone server) is required" .Values.env.DRONE_RPC_HOST }}
{{- if not (or .Values.rpcSecret.value .Values.rpcSecret.existingSecret) }}
{{- fail "rpcSecret.value (the Drone server's DRONE_RPC_SECRET) or rpcSecret.existingSecret is required" }}
{{- end }}
{{- range $name := list "DRONE_RPC_SECRET" "DRONE_SECRET_PLUGIN_TOKEN" "DRONE_RUNNER_SECRETS" "DRONE_UI_PASSWORD" }}
{{- if hasKey $.Values.env $name }}
{{- fail (printf "env.%s is a secret: put it in a Secret named in extraSecretNamesForEnvFrom (the RPC secret goes in rpcSecret)" $name) }}
{{- end }}
{{- end }}
{{- if and (eq (include "podrunner.defaultBuildNamespace" .) "drone-") (not (and .Values.rbac.clusterWide .Values.rbac.perStageNamespaces)) }}
{{- fail "env.DRONE_NAMESPACE_DEFAULT \"drone-\" (a namespace per stage) needs rbac.clusterWide and rbac.perStageNamespaces" }}
{{- end }}
{{- if and .Values.rbac.perStageNamespaces (not .Values.rbac.clusterWide) }}
{{- fail "rbac.perStageNamespaces needs rbac.clusterWide: a namespace made at run time has no Role in it" }}
{{- end }}
{{- end }}

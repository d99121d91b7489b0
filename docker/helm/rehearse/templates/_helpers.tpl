{{- define "rehearse.fullname" -}}
{{- printf "%s" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "rehearse.labels" -}}
app.kubernetes.io/name: rehearse
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "rehearse.selector" -}}
app.kubernetes.io/name: rehearse
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rehearse.secretName" -}}
{{- default (printf "%s-secrets" (include "rehearse.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* The environment every Rehearse process shares: configuration, then the secrets by name. */}}
{{- define "rehearse.env" -}}
- name: NODE_ENV
  value: production
- name: PUBLIC_URL
  value: {{ required "publicUrl is required" .Values.publicUrl | quote }}
- name: KEY_VAULT_DIR
  value: /keys/vault
- name: UPLOAD_DIR
  value: /app/var/uploads
{{- range $k, $v := .Values.config }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- range $k := list "APP_SECRET" "STORAGE_MASTER_KEY" "DATABASE_URL" "REDIS_URL" "SMTP_URL" "S3_ACCESS_KEY" "S3_SECRET_KEY" }}
- name: {{ $k }}
  valueFrom:
    secretKeyRef:
      name: {{ include "rehearse.secretName" $ }}
      key: {{ $k }}
{{- end }}
{{- end -}}

{{- define "rehearse.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  fsGroup: 1000
  seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "rehearse.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities: { drop: [ALL] }
{{- end -}}

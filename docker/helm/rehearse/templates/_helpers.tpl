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
{{- if eq .Values.keyVault.kind "kms" }}
- name: KEY_VAULT
  value: kms
- name: KMS_KEY_ID
  value: {{ required "keyVault.kms.keyId is required with keyVault.kind=kms" .Values.keyVault.kms.keyId | quote }}
- name: KMS_REGION
  value: {{ .Values.keyVault.kms.region | quote }}
{{- with .Values.keyVault.kms.endpoint }}
- name: KMS_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: KEY_VAULT_BUCKET
  value: {{ .Values.keyVault.kms.bucket | quote }}
{{- if .Values.keyVault.kms.credentialsInSecret }}
{{- range $k := list "KMS_ACCESS_KEY" "KMS_SECRET_KEY" }}
- name: {{ $k }}
  valueFrom:
    secretKeyRef:
      name: {{ include "rehearse.secretName" $ }}
      key: {{ $k }}
{{- end }}
{{- end }}
{{- else if eq .Values.keyVault.kind "volume" }}
- name: KEY_VAULT_DIR
  value: /keys/vault
{{- else }}
{{- fail "keyVault.kind must be kms or volume" }}
{{- end }}
{{- if eq .Values.uploads.staging "s3" }}
- name: UPLOAD_STAGING
  value: s3
- name: UPLOAD_BUCKET
  value: {{ .Values.uploads.bucket | quote }}
{{- else if eq .Values.uploads.staging "volume" }}
- name: UPLOAD_DIR
  value: /app/var/uploads
{{- else }}
{{- fail "uploads.staging must be s3 or volume" }}
{{- end }}
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

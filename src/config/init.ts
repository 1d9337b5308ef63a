/**
 * What `kube-ratchet init` writes: every option, commented, with its default. Each commented
 * example replaces the line above it. Kept valid by a test, examples included.
 */
export const INIT_CONFIG = `# kube-ratchet configuration: https://github.com/kube-ratchet/kube-ratchet/blob/main/docs/configuration.md
# Every option is shown with its default value. A pull request that changes this file is judged
# by its own version of it, and the review lists what the change weakens.

# Which files hold manifests (globs over repository paths; ** spans folders).
include: ["**/*.yaml", "**/*.yml", "**/*.json"]
exclude: [".github/**", "node_modules/**", "vendor/**"]

# The lowest severity of a NEW finding that fails the check: critical, high, medium, low, info or none.
failOn: high

# regressions: only new findings fail. all: findings already there fail too (a full gate).
mode: regressions

# The Pod Security Standards level that matters: privileged, baseline or restricted.
# A Namespace in the repository with a pod-security.kubernetes.io/enforce label sets the level
# of its workloads, unless a namespace below says otherwise.
level: restricted
namespaces: {}
# namespaces:
#   monitoring:
#     level: baseline

# Per rule: off, or a severity that replaces the rule's own.
rules: {}
# rules:
#   image-digest-unpinned: off
#   resource-limits-missing: medium

# Pod templates of custom resources beyond the built-in ones (Argo Rollouts, Knative Service,
# OpenKruise CloneSet and Advanced StatefulSet/DaemonSet, KEDA ScaledJob).
podTemplates: []
# podTemplates:
#   - apiVersion: example.com/v1
#     kind: Worker
#     path: spec.template

# Accountable exceptions: every entry needs a reason; an expired entry stops working and is reported.
ignore: []
# ignore:
#   - rules: [pss-host-path-volumes]
#     kind: DaemonSet
#     namespace: logging
#     name: "fluent-bit*"
#     reason: reads node logs from /var/log
#     expires: 2027-01-31

# Honour the suppression annotations of other tools: kube-linter, checkov, polaris.
compat: []
# compat: [kube-linter, checkov, polaris]

# RuntimeClass names that count as sandboxes, beyond gVisor and Kata.
sandboxRuntimeClasses: []
# sandboxRuntimeClasses: [firecracker]

# Kustomize overlays and Helm charts are built, and what they render is checked; each build or
# render may take timeoutSeconds.
render: {enabled: true, timeoutSeconds: 60}

# Input limits, in bytes: a larger manifest, and any manifest past the total, is skipped and reported.
limits: {maxFileBytes: 5242880, maxTotalBytes: 209715200}

# Helm charts rendered with settings of their own; any other chart renders once with its values.yaml.
helm: {charts: []}
# helm:
#   charts:
#     - path: charts/web
#       values: [values-prod.yaml]
#       namespace: prod
#       releaseName: web
`

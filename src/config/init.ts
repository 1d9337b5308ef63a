/** What `kube-ratchet init` writes: every option, commented, with its default. Kept valid by a test. */
export const INIT_CONFIG = `# kube-ratchet configuration: https://github.com/kube-ratchet/kube-ratchet/blob/main/docs/configuration.md
# Every option is shown with its default value.

# Which files hold manifests (globs over repository paths).
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
#  monitoring:
#    level: baseline

# Per rule: off, or a severity that replaces the rule's own.
rules: {}
#  image-digest-unpinned: off
#  resource-limits-missing: medium

# Pod templates of custom resources beyond the built-in ones (Argo Rollouts, Knative, OpenKruise, KEDA).
podTemplates: []
#  - apiVersion: example.com/v1
#    kind: Worker
#    path: spec.template

# Accountable exceptions: every entry needs a reason; an expired entry stops working and is reported.
ignore: []
#  - rules: [pss-host-path-volumes]
#    kind: DaemonSet
#    namespace: logging
#    name: "fluent-bit*"
#    container: fluent-bit
#    reason: reads node logs from /var/log
#    expires: 2027-01-31

# Honour suppression annotations of other tools: kube-linter, checkov, polaris.
compat: []

# RuntimeClass names that count as sandboxes, beyond gVisor and Kata.
sandboxRuntimeClasses: []
`

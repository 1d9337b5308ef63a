import { asObject, asString } from '../extract/json.js'
import type { PodTemplate } from '../extract/pod-template.js'
import { locate } from '../load/locate.js'
import type { ParsedYaml } from '../load/parse.js'
import type { ObjectPath, Resource } from '../model.js'

export const IGNORE_ANNOTATION = 'kube-ratchet.io/ignore'
const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/'

export type CompatTool = 'kube-linter' | 'checkov' | 'polaris'

/** A suppression written on an object, read as it stands (it may be invalid: no reason, unknown rule). */
export interface AnnotationSuppression {
  /** whose syntax: ours, or a peer's honoured under `compat` */
  source: 'annotation' | CompatTool
  key: string
  value: string
  /** our rule ids it silences */
  rules: string[]
  /** for container-scoped annotations (`kube-ratchet.io/ignore.<container>`) */
  container: string | null
  /** null when none was given: such an annotation does not suppress */
  reason: string | null
  file: string
  line: number
  /** from the object's root to the annotation */
  path: ObjectPath
}

/*
 * Peers' check names mapped onto our rules, for teams moving over with annotations in place. A
 * peer's check maps onto every rule of ours that reports what it reports. Peer annotations sit on
 * the object, so a mapped one silences the rule for every container of the object; where the
 * peer's check is narrower than our rule (docker.sock against every hostPath volume, SYS_ADMIN
 * against every added capability) the suppression is as wide as our rule. Checks with no
 * counterpart here (probes, CPU limits, replicas…) map onto nothing and are ignored.
 */

/** kube-linter built-in checks (`ignore-check.kube-linter.io/<check>`), docs.kubelinter.io. */
export const KUBE_LINTER: Readonly<Record<string, readonly string[]>> = {
  'privileged-container': ['pss-privileged'],
  'host-network': ['pss-host-namespaces'],
  'host-pid': ['pss-host-namespaces'],
  'host-ipc': ['pss-host-namespaces'],
  'privilege-escalation-container': ['pss-allow-privilege-escalation'],
  // passes with runAsNonRoot: true or a non-zero runAsUser
  'run-as-non-root': ['pss-run-as-non-root', 'pss-run-as-user'],
  'unsafe-sysctls': ['pss-sysctls'],
  'unsafe-proc-mount': ['pss-proc-mount', 'pss-proc-mount-restricted'],
  'sensitive-host-mounts': ['pss-host-path-volumes'],
  'docker-sock': ['pss-host-path-volumes'],
  'writable-host-mount': ['pss-host-path-volumes'],
  'latest-tag': ['image-tag-mutable'],
  'no-read-only-root-fs': ['readonly-rootfs-missing'],
  'unset-memory-requirements': ['resource-limits-missing'],
  'env-var-secret': ['secret-env-literal'],
  'wildcard-in-rules': ['rbac-wildcard'],
  'access-to-secrets': ['rbac-secrets-access'],
  'cluster-admin-role-binding': ['rbac-cluster-admin-binding'],
  'exposed-services': ['service-exposed'],
}

/** Checkov Kubernetes checks (`checkov.io/skip<n>: <CKV_K8S_id>=<comment>`). */
export const CHECKOV: Readonly<Record<string, readonly string[]>> = {
  CKV_K8S_13: ['resource-limits-missing'], // memory limits
  CKV_K8S_14: ['image-tag-mutable'], // image tag fixed, not latest or blank
  CKV_K8S_16: ['pss-privileged'],
  CKV_K8S_17: ['pss-host-namespaces'], // hostPID
  CKV_K8S_18: ['pss-host-namespaces'], // hostIPC
  CKV_K8S_19: ['pss-host-namespaces'], // hostNetwork
  CKV_K8S_20: ['pss-allow-privilege-escalation'],
  CKV_K8S_22: ['readonly-rootfs-missing'],
  CKV_K8S_23: ['pss-run-as-non-root', 'pss-run-as-user'], // root containers: runAsNonRoot, or runAsUser > 0
  CKV_K8S_25: ['pss-capabilities-baseline', 'pss-capabilities-restricted'], // any added capability
  CKV_K8S_26: ['pss-host-ports'],
  CKV_K8S_27: ['pss-host-path-volumes'], // docker socket
  CKV_K8S_31: ['pss-seccomp-profile-baseline', 'pss-seccomp-profile-restricted'], // RuntimeDefault required
  CKV_K8S_37: ['pss-capabilities-restricted'], // capabilities.drop must hold ALL
  CKV_K8S_38: ['service-account-token-automount'],
  CKV_K8S_39: ['pss-capabilities-baseline'], // SYS_ADMIN added
  CKV_K8S_43: ['image-digest-unpinned'],
  CKV_K8S_49: ['rbac-wildcard'],
  CKV_K8S_153: ['ingress-nginx-snippet'], // every ingress-nginx snippet annotation (CVE-2021-25742)
  CKV_K8S_155: ['rbac-privilege-escalation'], // control over admission webhook configurations
  CKV_K8S_156: ['rbac-privilege-escalation'], // approving certificate signing requests
  CKV_K8S_157: ['rbac-privilege-escalation'], // bind
  CKV_K8S_158: ['rbac-privilege-escalation'], // escalate
}

/** Polaris checks (`polaris.fairwinds.com/<check>-exempt: "true"`). */
export const POLARIS: Readonly<Record<string, readonly string[]>> = {
  runAsPrivileged: ['pss-privileged'],
  hostNetworkSet: ['pss-host-namespaces'],
  hostPIDSet: ['pss-host-namespaces'],
  hostIPCSet: ['pss-host-namespaces'],
  hostPortSet: ['pss-host-ports'],
  hostPathSet: ['pss-host-path-volumes'],
  hostProcess: ['pss-windows-host-process'],
  procMount: ['pss-proc-mount', 'pss-proc-mount-restricted'],
  privilegeEscalationAllowed: ['pss-allow-privilege-escalation'],
  // passes with runAsNonRoot: true or a non-zero runAsUser
  runAsRootAllowed: ['pss-run-as-non-root', 'pss-run-as-user'],
  // ALL, SYS_ADMIN or NET_ADMIN added
  dangerousCapabilities: ['pss-capabilities-baseline'],
  // capabilities.drop must hold ALL (or every capability of the default set)
  insecureCapabilities: ['pss-capabilities-restricted'],
  notReadOnlyRootFilesystem: ['readonly-rootfs-missing'],
  tagNotSpecified: ['image-tag-mutable'],
  memoryLimitsMissing: ['resource-limits-missing'],
  automountServiceAccountToken: ['service-account-token-automount'],
  sensitiveContainerEnvVar: ['secret-env-literal'],
  clusterrolebindingClusterAdmin: ['rbac-cluster-admin-binding'],
  rolebindingClusterAdminClusterRole: ['rbac-cluster-admin-binding'],
  rolebindingClusterAdminRole: ['rbac-cluster-admin-binding'],
}

/**
 * Reads suppressions from the object's annotations and, for workloads, its pod template's:
 * `kube-ratchet.io/ignore: "<rule>[,<rule>…]: <reason>"`, optionally `…/ignore.<container>`,
 * plus the peers' annotations named in `compat`.
 */
export function readSuppressions(
  resource: Resource,
  pod: PodTemplate | null,
  compat: readonly CompatTool[],
  yaml: ParsedYaml,
): AnnotationSuppression[] {
  const places: ObjectPath[] = [['metadata']]
  if (pod && pod.metadataPath.length > 1) places.push(pod.metadataPath)
  const found: AnnotationSuppression[] = []
  for (const place of places) {
    const metadata = place === pod?.metadataPath ? pod.metadata : asObject(resource.object.metadata)
    const annotations = asObject(metadata?.annotations)
    if (!annotations) continue
    for (const [key, raw] of Object.entries(annotations)) {
      const value = asString(raw) ?? ''
      const parsed = parseAnnotation(key, value, compat)
      if (!parsed) continue
      const path = [...place, 'annotations', key]
      const line = locate(yaml, resource.documentIndex, [...resource.documentPath, ...path]).line
      found.push({ ...parsed, key, value, file: resource.file, line, path })
    }
  }
  return found
}

type Parsed = Pick<AnnotationSuppression, 'source' | 'rules' | 'container' | 'reason'>

function parseAnnotation(key: string, value: string, compat: readonly CompatTool[]): Parsed | null {
  if (key === IGNORE_ANNOTATION || key.startsWith(`${IGNORE_ANNOTATION}.`)) {
    const container = key === IGNORE_ANNOTATION ? null : key.slice(IGNORE_ANNOTATION.length + 1)
    const colon = value.indexOf(':')
    const ids = (colon < 0 ? value : value.slice(0, colon)).split(',').map((s) => s.trim()).filter(Boolean)
    const reason = colon < 0 ? '' : value.slice(colon + 1).trim()
    return { source: 'annotation', rules: ids, container, reason: reason || null }
  }
  if (compat.includes('kube-linter') && key.startsWith(KUBE_LINTER_PREFIX)) {
    const rules = KUBE_LINTER[key.slice(KUBE_LINTER_PREFIX.length)]
    return rules ? { source: 'kube-linter', rules: [...rules], container: null, reason: value.trim() || null } : null
  }
  // Checkov reads every annotation whose key contains `checkov.io/skip` (skip1, skip-2, skip_a…),
  // or the older `bridgecrew.io/skip`, valued `<check id>[=<comment>]`.
  if (compat.includes('checkov') && /^(?:checkov|bridgecrew)\.io\/skip[\w.-]*$/.test(key)) {
    const equals = value.indexOf('=')
    const id = (equals < 0 ? value : value.slice(0, equals)).trim()
    const rules = CHECKOV[id]
    return rules ? { source: 'checkov', rules: [...rules], container: null, reason: equals < 0 ? null : value.slice(equals + 1).trim() || null } : null
  }
  const polaris = /^polaris\.fairwinds\.com\/(\w+)-exempt$/.exec(key)
  if (compat.includes('polaris') && polaris) {
    const rules = POLARIS[polaris[1] as string]
    // Polaris exemptions carry no reason, only "true" (any case, as Polaris reads it); the
    // annotation itself is the stated exception.
    return rules && value.trim().toLowerCase() === 'true' ? { source: 'polaris', rules: [...rules], container: null, reason: 'Polaris exemption' } : null
  }
  return null
}

import { asObject, asString } from '../extract/json.js'
import type { PodTemplate } from '../extract/pod-template.js'
import { locate } from '../load/locate.js'
import type { ParsedYaml } from '../load/parse.js'
import type { ObjectPath, Resource } from '../model.js'

export const IGNORE_ANNOTATION = 'kube-ratchet.io/ignore'

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

/** Peers' check names mapped onto our rules, for teams moving over with annotations in place. */
const KUBE_LINTER: Record<string, string[]> = {
  'privileged-container': ['pss-privileged'],
  'host-network': ['pss-host-namespaces'],
  'host-pid': ['pss-host-namespaces'],
  'host-ipc': ['pss-host-namespaces'],
  'privilege-escalation-container': ['pss-allow-privilege-escalation'],
  'run-as-non-root': ['pss-run-as-non-root'],
  'latest-tag': ['image-tag-mutable'],
  'no-read-only-root-fs': ['readonly-rootfs-missing'],
  'unset-memory-requirements': ['resource-limits-missing'],
  'sensitive-host-mounts': ['pss-host-path-volumes'],
  'docker-sock': ['pss-host-path-volumes'],
  'host-mounts': ['pss-host-path-volumes'],
  'env-var-secret': ['secret-env-literal'],
  'wildcard-in-rules': ['rbac-wildcard'],
  'access-to-secrets': ['rbac-secrets-access'],
  'cluster-admin-role-binding': ['rbac-cluster-admin-binding'],
  'exposed-services': ['service-exposed'],
}

const CHECKOV: Record<string, string[]> = {
  CKV_K8S_16: ['pss-privileged'],
  CKV_K8S_17: ['pss-host-namespaces'],
  CKV_K8S_18: ['pss-host-namespaces'],
  CKV_K8S_19: ['pss-host-namespaces'],
  CKV_K8S_20: ['pss-allow-privilege-escalation'],
  CKV_K8S_22: ['readonly-rootfs-missing'],
  CKV_K8S_23: ['pss-run-as-non-root'],
  CKV_K8S_26: ['pss-host-ports'],
  CKV_K8S_27: ['pss-host-path-volumes'],
  CKV_K8S_13: ['resource-limits-missing'],
  CKV_K8S_14: ['image-tag-mutable'],
  CKV_K8S_43: ['image-digest-unpinned'],
  CKV_K8S_31: ['pss-seccomp-profile-restricted'],
  CKV_K8S_38: ['service-account-token-automount'],
  CKV_K8S_39: ['pss-capabilities-baseline'],
  CKV_K8S_49: ['rbac-wildcard'],
}

const POLARIS: Record<string, string[]> = {
  runAsPrivileged: ['pss-privileged'],
  hostNetworkSet: ['pss-host-namespaces'],
  hostPIDSet: ['pss-host-namespaces'],
  hostIPCSet: ['pss-host-namespaces'],
  privilegeEscalationAllowed: ['pss-allow-privilege-escalation'],
  runAsRootAllowed: ['pss-run-as-non-root'],
  notReadOnlyRootFilesystem: ['readonly-rootfs-missing'],
  tagNotSpecified: ['image-tag-mutable'],
  memoryLimitsMissing: ['resource-limits-missing'],
  dangerousCapabilities: ['pss-capabilities-baseline'],
  insecureCapabilities: ['pss-capabilities-restricted'],
  hostPortSet: ['pss-host-ports'],
  automountServiceAccountToken: ['service-account-token-automount'],
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
  if (compat.includes('kube-linter') && key.startsWith('ignore-check.kube-linter.io/')) {
    const rules = KUBE_LINTER[key.slice('ignore-check.kube-linter.io/'.length)]
    return rules ? { source: 'kube-linter', rules, container: null, reason: value.trim() || null } : null
  }
  if (compat.includes('checkov') && /^checkov\.io\/skip\d+$/.test(key)) {
    const [id = '', comment = ''] = value.split('=', 2)
    const rules = CHECKOV[id.trim()]
    return rules ? { source: 'checkov', rules, container: null, reason: comment.trim() || null } : null
  }
  const polaris = /^polaris\.fairwinds\.com\/(\w+)-exempt$/.exec(key)
  if (compat.includes('polaris') && polaris) {
    const rules = POLARIS[polaris[1] as string]
    // Polaris exemptions carry no reason, only "true"; the annotation itself is the stated exception.
    return rules && value.trim() === 'true' ? { source: 'polaris', rules, container: null, reason: 'Polaris exemption' } : null
  }
  return null
}

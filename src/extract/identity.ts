import type { ObjectIdentity } from '../model.js'

/**
 * Kinds that live outside namespaces, keyed `group/kind`. A namespaced object that names no
 * namespace lands in `default`, so these must be known to tell the two apart.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/InitializerConfiguration',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'policy/PodSecurityPolicy',
  'extensions/PodSecurityPolicy',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'templates.gatekeeper.sh/ConstraintTemplate',
  'kyverno.io/ClusterPolicy',
  'cert-manager.io/ClusterIssuer',
  'gateway.networking.k8s.io/GatewayClass',
])

/** Groups whose every kind is cluster-scoped (Gatekeeper constraints are one kind per template). */
const CLUSTER_SCOPED_GROUPS = new Set(['constraints.gatekeeper.sh'])

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}

export function isClusterScoped(group: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${group}/${kind}`) || CLUSTER_SCOPED_GROUPS.has(group)
}

export function makeIdentity(apiVersion: string, kind: string, namespace: string | undefined, name: string): ObjectIdentity {
  const group = groupOf(apiVersion)
  return {
    group,
    kind,
    namespace: isClusterScoped(group, kind) ? null : namespace || 'default',
    name,
  }
}

/** One string per identity, for maps and fingerprints. */
export function identityKey(id: ObjectIdentity): string {
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones: how people say it. */
export function displayName(id: { namespace: string | null; name: string }): string {
  return id.namespace === null ? id.name : `${id.namespace}/${id.name}`
}

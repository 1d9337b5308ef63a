import type { JsonObject, ListItem, ObjectPath, PathSegment, Resource } from '../model.js'
import { asArray, asObject, asString, getIn } from './json.js'

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const
export type ContainerList = (typeof CONTAINER_LISTS)[number]

export interface Container {
  name: string
  list: ContainerList
  /** path from the object's root to the container item, the item named by `name` */
  path: ObjectPath
  spec: JsonObject
}

/** The pod a workload runs, wherever its kind keeps it. Rules read pods only through this. */
export interface PodTemplate {
  /** path from the object's root to the pod's `metadata` and `spec` */
  metadataPath: ObjectPath
  specPath: ObjectPath
  metadata: JsonObject
  spec: JsonObject
  /** init, regular and ephemeral containers, in that order */
  containers: Container[]
}

/**
 * Where each workload kind keeps its pod template, keyed `group/kind`. The value is the path to
 * the object holding `metadata` and `spec` ([] for a Pod itself). Configuration can add CRDs.
 */
export type PodTemplateTable = ReadonlyMap<string, readonly string[]>

const TEMPLATE = ['spec', 'template']
export const BUILTIN_POD_TEMPLATES: PodTemplateTable = new Map<string, readonly string[]>([
  ['/Pod', []],
  ['/PodTemplate', ['template']],
  ['/ReplicationController', TEMPLATE],
  ['apps/ReplicaSet', TEMPLATE],
  ['extensions/ReplicaSet', TEMPLATE],
  ['apps/Deployment', TEMPLATE],
  ['extensions/Deployment', TEMPLATE],
  ['apps/StatefulSet', TEMPLATE],
  ['apps/DaemonSet', TEMPLATE],
  ['extensions/DaemonSet', TEMPLATE],
  ['batch/Job', TEMPLATE],
  ['batch/CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
  // Custom resources that run pods from an embedded PodTemplateSpec, as common as the built-in kinds.
  // Argo Rollouts: a Rollout that points at a Deployment with `spec.workloadRef` has no template of
  // its own (the Deployment is checked where it is defined).
  ['argoproj.io/Rollout', TEMPLATE],
  // Knative Serving: the revision template (`spec.template.spec.containers`).
  ['serving.knative.dev/Service', TEMPLATE],
  // OpenKruise: CloneSet, Advanced StatefulSet and Advanced DaemonSet.
  ['apps.kruise.io/CloneSet', TEMPLATE],
  ['apps.kruise.io/StatefulSet', TEMPLATE],
  ['apps.kruise.io/DaemonSet', TEMPLATE],
  // KEDA: a ScaledJob embeds a Job spec.
  ['keda.sh/ScaledJob', ['spec', 'jobTargetRef', 'template']],
])

/**
 * The templates found so far, by object: verifying a fix asks again for the template of an object
 * the rules have judged already. A `Resource` is never changed once read (a fix makes a new one).
 */
const known = new WeakMap<Resource, { table: PodTemplateTable; template: PodTemplate | null }>()

/** The object's pod template, or null when its kind has none or the template has no spec. */
export function podTemplateOf(resource: Resource, table: PodTemplateTable = BUILTIN_POD_TEMPLATES): PodTemplate | null {
  const found = known.get(resource)
  if (found?.table === table) return found.template
  const template = templateOf(resource, table)
  known.set(resource, { table, template })
  return template
}

function templateOf(resource: Resource, table: PodTemplateTable): PodTemplate | null {
  const prefix = table.get(`${resource.identity.group}/${resource.identity.kind}`)
  if (!prefix) return null
  const holder = prefix.length === 0 ? resource.object : asObject(getIn(resource.object, prefix))
  const spec = asObject(holder?.spec)
  if (!holder || !spec) return null
  const specPath: PathSegment[] = [...prefix, 'spec']
  const containers: Container[] = []
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((item, index) => {
      const container = asObject(item)
      if (!container) return
      const name = asString(container.name) ?? `#${index + 1}`
      const ref: ListItem = { index, key: 'name', value: name }
      containers.push({ name, list, path: [...specPath, list, ref], spec: container })
    })
  }
  return { metadataPath: [...prefix, 'metadata'], specPath, metadata: asObject(holder.metadata) ?? {}, spec, containers }
}

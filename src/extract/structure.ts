import type { ParseProblem } from '../load/parse.js'
import type { JsonValue, ObjectPath, Resource } from '../model.js'
import { BUILTIN_POD_TEMPLATES, type PodTemplateTable } from './pod-template.js'

/**
 * The type a field must have. Only the fields the rules read are described: a value of the wrong
 * type there would read as absent, and a workload the API server refuses would look clean (or its
 * findings fixed) without a word. `null` is always allowed: Kubernetes reads it as "not set".
 */
type Shape = 'map' | 'list' | 'bool' | 'string' | { list: Shape } | { map: Readonly<Record<string, Shape>> }

const SECURITY_CONTEXT_COMMON = {
  runAsNonRoot: 'bool',
  seccompProfile: 'map',
  seLinuxOptions: 'map',
  appArmorProfile: 'map',
  windowsOptions: 'map',
} as const

const CONTAINER: Shape = {
  map: {
    securityContext: {
      map: {
        ...SECURITY_CONTEXT_COMMON,
        capabilities: { map: { add: 'list', drop: 'list' } },
        privileged: 'bool',
        allowPrivilegeEscalation: 'bool',
        readOnlyRootFilesystem: 'bool',
      },
    },
    env: { list: 'map' },
    envFrom: { list: 'map' },
    ports: { list: 'map' },
    volumeMounts: { list: 'map' },
    resources: { map: { limits: 'map', requests: 'map' } },
    livenessProbe: 'map',
    readinessProbe: 'map',
    startupProbe: 'map',
    lifecycle: 'map',
  },
}

const POD_SPEC: Shape = {
  map: {
    containers: { list: CONTAINER },
    initContainers: { list: CONTAINER },
    ephemeralContainers: { list: CONTAINER },
    volumes: { list: 'map' },
    securityContext: { map: { ...SECURITY_CONTEXT_COMMON, sysctls: { list: 'map' } } },
    hostNetwork: 'bool',
    hostPID: 'bool',
    hostIPC: 'bool',
    hostUsers: 'bool',
    automountServiceAccountToken: 'bool',
  },
}

const POD_METADATA: Shape = { map: { annotations: 'map', labels: 'map' } }

const OBJECT_METADATA: Shape = { map: { name: 'string', namespace: 'string', generateName: 'string', annotations: 'map', labels: 'map' } }

export interface StructureProblem {
  /** where the value of the wrong type is, from the object's root */
  path: ObjectPath
  message: string
}

/**
 * Fields of the wrong type that the API server would refuse: the object's `metadata`, and the
 * pod template of a workload down to its containers' security contexts. Missing and null fields
 * are fine (a strategic-merge patch holds only what it changes).
 */
export function structureProblems(resource: Resource, table: PodTemplateTable = BUILTIN_POD_TEMPLATES): StructureProblem[] {
  const problems: StructureProblem[] = []
  const object = resource.object
  check(object.metadata, OBJECT_METADATA, ['metadata'], problems)
  const prefix = table.get(`${resource.identity.group}/${resource.identity.kind}`)
  if (!prefix) return problems
  // every map on the way to the template, then the template itself
  let holder: JsonValue | undefined = object
  const path: (string | number)[] = []
  for (const key of prefix) {
    if (!isMap(holder)) return problems
    holder = holder[key]
    path.push(key)
    if (holder === undefined || holder === null) return problems
    if (!isMap(holder)) {
      wrongType(path, 'a map', problems)
      return problems
    }
  }
  if (!isMap(holder)) return problems
  check(holder.spec, POD_SPEC, [...path, 'spec'], problems)
  // a Pod's own metadata was checked above
  if (prefix.length > 0) check(holder.metadata, POD_METADATA, [...path, 'metadata'], problems)
  return problems
}

/**
 * Checks one value against its shape; a wrong type is reported once, its inside not looked at.
 * `path` is a stack the walk shares, copied only into a problem.
 */
function check(value: JsonValue | undefined, shape: Shape, path: (string | number)[], problems: StructureProblem[]): void {
  if (value === undefined || value === null) return
  if (shape === 'string') {
    if (typeof value !== 'string') wrongType(path, 'a string', problems)
    return
  }
  if (shape === 'bool') {
    if (typeof value !== 'boolean') wrongType(path, 'true or false', problems)
    return
  }
  const wantsList = shape === 'list' || (typeof shape === 'object' && 'list' in shape)
  if (wantsList) {
    if (!Array.isArray(value)) {
      wrongType(path, 'a list', problems)
      return
    }
    if (typeof shape === 'object' && 'list' in shape) {
      for (let index = 0; index < value.length; index++) inside(value[index], shape.list, index, path, problems)
    }
    return
  }
  if (!isMap(value)) {
    wrongType(path, 'a map', problems)
    return
  }
  if (typeof shape === 'object' && 'map' in shape) {
    for (const key in shape.map) inside(value[key], shape.map[key] as Shape, key, path, problems)
  }
}

function wrongType(path: readonly (string | number)[], what: string, problems: StructureProblem[]): void {
  problems.push({ path: [...path], message: `${display(path)} must be ${what}` })
}

/** `check` one step down the path. */
function inside(value: JsonValue | undefined, shape: Shape, step: string | number, path: (string | number)[], problems: StructureProblem[]): void {
  path.push(step)
  check(value, shape, path, problems)
  path.pop()
}

function isMap(value: JsonValue | undefined): value is { [key: string]: JsonValue | undefined } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `spec.template.spec.containers[0].securityContext` */
function display(path: readonly (string | number)[]): string {
  let out = ''
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  return out
}

const structural = new WeakSet<ParseProblem>()

/** Marks a problem as a field of the wrong type (the object was still read), as opposed to unreadable input. */
export function markStructural(problem: ParseProblem): ParseProblem {
  structural.add(problem)
  return problem
}

/**
 * Whether a problem is a field of the wrong type in an object that was still evaluated. Rule tests
 * feed such objects on purpose; a problem of any other kind means the input was not read.
 */
export function isStructural(problem: ParseProblem): boolean {
  return structural.has(problem)
}

import { describe, expect, it } from 'vitest'
import { evaluateFile, type EvaluatedObject } from '../../src/evaluate/evaluate.js'
import { ANY_ITEM, changedFields, declaredFields, type FieldPath, rulesReading } from '../../src/evaluate/fields-read.js'
import { podTemplateOf } from '../../src/extract/pod-template.js'
import { parseManifestFile } from '../../src/load/parse.js'
import type { Edit, JsonObject, JsonValue, Resource } from '../../src/model.js'
import { applyEditsToJson } from '../../src/render/fix/json-edit.js'
import { renderFileFixes } from '../../src/render/fix/fixes.js'
import { RULES } from '../../src/rules/index.js'
import type { ObjectRule, PodRule, Rule } from '../../src/rules/rule.js'
import { onOnePath, undeclaredReads } from '../helpers/field-reads.js'
import { fixtureYamlFiles } from '../helpers/fixture-files.js'
import { podText, restrictedSpec } from '../helpers/pods.js'
import { randomFile } from '../helpers/random-workloads.js'

/**
 * Rules declare the fields they read so that verifying a fix runs only the rules the fix can
 * concern. A declaration that misses a field would let a fix through unverified, so every rule is
 * run over every fixture, random workloads and each of their fixed versions through a proxy that
 * records what it reads; each rule's table of cases checks the same (`ruleCases`).
 */

const SEEDS = 300

function evaluated(file: string, text: string): EvaluatedObject[] {
  const outcome = parseManifestFile(file, Buffer.from(text, 'utf8'))
  return outcome.kind === 'parsed' ? evaluateFile(file, outcome.yaml, { rules: RULES }).objects : []
}

/** A Pod fixture as the pod template of a Deployment and of a CronJob (other paths to the same pod). */
function wrapped(object: EvaluatedObject): Resource[] {
  const { resource } = object
  if (resource.identity.kind !== 'Pod') return []
  const { metadata, spec } = resource.object
  const template = { metadata: metadata ?? {}, spec: spec ?? {} }
  const as = (group: string, kind: string, object: JsonObject): Resource => ({
    ...resource,
    identity: { ...resource.identity, group, kind },
    object,
  })
  return [
    as('apps', 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template } }),
    as('batch', 'CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } }),
  ]
}

/** Each object's fixed versions: what verification runs the rules on. */
function fixedVersions(object: EvaluatedObject): Resource[] {
  return object.findings.flatMap((finding) => {
    const fixed = finding.proposedFix && applyEditsToJson(object.resource.object, finding.proposedFix.edits)
    return fixed ? [{ ...object.resource, object: fixed }] : []
  })
}

/** Every fixture and random workloads: what the rules are tried on. */
const files = [
  ...fixtureYamlFiles(),
  ...Array.from({ length: SEEDS }, (_, i) => ({ path: `random-${i}.yaml`, text: randomFile(7000 + i) })),
]
const objects = files.flatMap(({ path, text }) => evaluated(path, text))
const resources = objects.flatMap((object) => [object.resource, ...wrapped(object), ...fixedVersions(object)])

const checked = RULES.filter((rule): rule is PodRule | ObjectRule => rule.kind !== 'transition')

describe('the fields rules declare they read', () => {
  it('are declared by every rule that judges one object', () => {
    expect(checked.filter((rule) => !rule.fieldsRead).map((rule) => rule.meta.id)).toEqual([])
  })

  it('are tried on enough objects to mean something', () => {
    const kinds = new Set(resources.map((r) => r.identity.kind))
    expect(resources.length).toBeGreaterThan(2000)
    for (const kind of ['Pod', 'Deployment', 'CronJob', 'Secret', 'Role', 'ClusterRoleBinding', 'NetworkPolicy', 'Ingress']) {
      expect(kinds, kind).toContain(kind)
    }
  })

  it.each(checked.map((rule) => [rule.meta.id, rule] as const))('cover every read of %s', (_id, rule) => {
    expect(resources.flatMap((resource) => undeclaredReads(rule, resource)).slice(0, 10)).toEqual([])
  })

  it('catch a rule that reads a field it does not declare', () => {
    const sneaky: PodRule = {
      kind: 'pod',
      meta: { ...(RULES[0] as Rule).meta, id: 'sneaky' },
      fieldsRead: ['container.securityContext.privileged'],
      check: (pod) => (pod.containers.some((c) => c.spec.image === 'x') ? [] : []),
    }
    const [object] = evaluated('pod.yaml', podText(restrictedSpec()))
    expect(undeclaredReads(sneaky, (object as EvaluatedObject).resource)).toEqual([
      'spec.containers.[].image in pod.yaml (Pod p)',
    ])
  })
})

/**
 * `resource` with every missing or null map on the way to the fields `rule` declares made an
 * empty map, where the rule declares neither that map nor one holding it (and, for pod rules,
 * inside the pod template only); null when there is no such map.
 */
function withEmptyMaps(rule: PodRule | ObjectRule, resource: Resource): Resource | null {
  const pod = podTemplateOf(resource)
  const declared = declaredFields(rule, pod) ?? []
  const object = structuredClone(resource.object) as JsonValue
  const roots = pod ? [pod.specPath.length, pod.metadataPath.length] : []
  let made = false
  const covers = (prefix: FieldPath): boolean => declared.some((field) => field.length <= prefix.length && onOnePath(prefix, field))
  const fill = (node: JsonValue | undefined, field: FieldPath, depth: number): void => {
    const segment = field[depth]
    if (segment === undefined || depth === field.length - 1 || covers(field.slice(0, depth + 1))) return
    if (segment === ANY_ITEM) {
      if (Array.isArray(node)) for (const item of node) fill(item, field, depth + 1)
      return
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return
    const belowTemplate = rule.kind === 'object' || roots.some((root) => depth >= root)
    const child = node[segment]
    if ((child === undefined || child === null) && field[depth + 1] !== ANY_ITEM && belowTemplate) {
      node[segment] = {}
      made = true
    }
    fill(node[segment], field, depth + 1)
  }
  for (const field of declared) fill(object, field, 0)
  return made ? { ...resource, object: object as JsonObject } : null
}

function violationsOf(rule: PodRule | ObjectRule, resource: Resource): string {
  if (rule.kind === 'object') return JSON.stringify(rule.check(resource))
  const pod = podTemplateOf(resource)
  return JSON.stringify(pod ? rule.check(pod, resource) : [])
}

describe('a map on the way to a declared field', () => {
  it.each(checked.map((rule) => [rule.meta.id, rule] as const))('reads alike missing, null or empty in %s', (_id, rule) => {
    const differing = resources.flatMap((resource) => {
      const filled = withEmptyMaps(rule, resource)
      const [before, after] = filled ? [violationsOf(rule, resource), violationsOf(rule, filled)] : []
      return before === after ? [] : [`${resource.file} (${resource.identity.kind} ${resource.identity.name}): ${before} then ${after}`]
    })
    expect(differing.slice(0, 3)).toEqual([])
  })

  it('is filled in on enough objects to mean something', () => {
    for (const id of ['pss-run-as-non-root', 'pss-seccomp-profile-restricted', 'pss-capabilities-restricted']) {
      const rule = checked.find((r) => r.meta.id === id) as PodRule
      expect(resources.filter((resource) => withEmptyMaps(rule, resource) !== null).length, id).toBeGreaterThan(500)
    }
  })

  it('is made empty where a rule that tells them apart would be caught', () => {
    const picky: PodRule = {
      kind: 'pod',
      meta: { ...(RULES[0] as Rule).meta, id: 'picky' },
      fieldsRead: ['container.securityContext.privileged'],
      check: (pod) => pod.containers.flatMap((c) => (c.spec.securityContext ? [] : [{ messageId: 'x', path: c.path }])),
    }
    const [object] = evaluated('pod.yaml', podText({ containers: [{ name: 'app', image: 'a' }] }))
    const resource = (object as EvaluatedObject).resource
    const filled = withEmptyMaps(picky, resource) as Resource
    expect(violationsOf(picky, filled)).not.toEqual(violationsOf(picky, resource))
  })
})

describe('the fields a fix changes', () => {
  const pod: JsonObject = {
    spec: {
      securityContext: null,
      containers: [{ name: 'app', image: 'a', securityContext: { privileged: true, capabilities: { add: ['NET_RAW'] } } }],
    },
  }
  const app = { index: 0, key: 'name', value: 'app' }
  const changed = (...edits: Edit[]) => changedFields(edits)

  it('are the edited field', () => {
    expect(changed({ op: 'set', path: ['spec', 'containers', app, 'securityContext', 'privileged'], value: false })).toEqual([
      ['spec', 'containers', '[]', 'securityContext', 'privileged'],
    ])
    expect(changed({ op: 'delete', path: ['spec', 'containers', app, 'securityContext', 'privileged'] })).toEqual([
      ['spec', 'containers', '[]', 'securityContext', 'privileged'],
    ])
  })

  it('are the edited field also where a set creates the maps holding it or replaces a null', () => {
    expect(changed({ op: 'set', path: ['spec', 'containers', app, 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' })).toEqual([
      ['spec', 'containers', '[]', 'securityContext', 'seccompProfile', 'type'],
    ])
    expect(changed({ op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true })).toEqual([['spec', 'securityContext', 'runAsNonRoot']])
  })

  it('are the whole list when an item is added or removed', () => {
    const add = ['spec', 'containers', app, 'securityContext', 'capabilities', 'add']
    expect(changed({ op: 'delete', path: [...add, { index: 0, key: null, value: 'NET_RAW' }] })).toEqual([
      ['spec', 'containers', '[]', 'securityContext', 'capabilities', 'add'],
    ])
    expect(changed({ op: 'append', path: ['spec', 'containers', app, 'securityContext', 'capabilities', 'drop'], value: 'ALL' })).toEqual([
      ['spec', 'containers', '[]', 'securityContext', 'capabilities', 'drop'],
    ])
  })

  it('concern the rules that read them or what holds them, and no other', () => {
    const resource = { identity: { group: '', kind: 'Pod' }, object: pod } as Resource
    const template = podTemplateOf(resource)
    const readsAnyOf = (id: string, changed: FieldPath[]) =>
      rulesReading(RULES.filter((r) => r.meta.id === id), template, changed).length > 0
    const privilegedChange = [['spec', 'containers', '[]', 'securityContext', 'privileged']]
    expect(readsAnyOf('pss-privileged', privilegedChange)).toBe(true)
    // allowPrivilegeEscalation: false is refused by the API on a privileged container
    expect(readsAnyOf('pss-allow-privilege-escalation', privilegedChange)).toBe(true)
    expect(readsAnyOf('image-tag-mutable', privilegedChange)).toBe(false)
    expect(readsAnyOf('pss-host-namespaces', privilegedChange)).toBe(false)
    // a new securityContext is seen by every rule that reads it whole, not by those reading other fields in it
    expect(readsAnyOf('pss-run-as-user', [['spec', 'containers', '[]', 'securityContext']])).toBe(true)
    expect(readsAnyOf('pss-run-as-user', [['spec', 'containers', '[]', 'securityContext', 'privileged']])).toBe(false)
    // a renamed or added container changes every pod rule's findings
    expect(readsAnyOf('image-tag-mutable', [['spec', 'containers']])).toBe(true)
    expect(readsAnyOf('secret-pattern', privilegedChange)).toBe(true)
  })
})

describe('verifying fixes with the rules they concern', () => {
  it('offers and refuses exactly what verifying with every rule does', () => {
    const everyRule = RULES.map((rule) => (rule.kind === 'transition' ? rule : { ...rule, fieldsRead: undefined }))
    const outcomes = (rules: readonly Rule[]) =>
      files.flatMap(({ path, text }) => {
        const outcome = parseManifestFile(path, Buffer.from(text, 'utf8'))
        if (outcome.kind !== 'parsed') return []
        const options = { rules }
        const { objects } = evaluateFile(path, outcome.yaml, options)
        renderFileFixes(outcome.yaml, objects, { evaluation: options })
        return objects.flatMap((o) => o.findings.map((f) => `${path} ${f.ruleId} ${f.path}: ${f.rendered?.note ?? f.rendered?.fix?.patch ?? 'no fix'}`))
      })
    const selective = outcomes(RULES)
    expect(selective.filter((line) => !line.endsWith('no fix')).length).toBeGreaterThan(1000)
    expect(selective).toEqual(outcomes(everyRule))
  })
})

import { ANY_ITEM, declaredFields, type FieldPath } from '../../src/evaluate/fields-read.js'
import { podTemplateOf } from '../../src/extract/pod-template.js'
import type { JsonValue, Resource } from '../../src/model.js'
import { appliesTo, type Rule } from '../../src/rules/rule.js'

/**
 * What a rule's check reads, recorded through proxies, against what the rule declares it reads
 * (`fieldsRead`): the declarations let fix verification skip rules a fix cannot concern, so a
 * read they miss would let a fix through unverified.
 */

/** One read: a field's value (or its absence), or `whole`: every key of a map or list. */
interface FieldRead {
  path: FieldPath
  whole: boolean
}

/** A view of `value` that logs every read into `reads`, with list items as `[]` (`ANY_ITEM`). */
function recording<T extends JsonValue>(value: T, reads: FieldRead[]): T {
  const views = new Map<object, Map<string, object>>()
  const wrap = (target: JsonValue | undefined, path: string[]): JsonValue | undefined => {
    if (target === null || typeof target !== 'object') return target
    const key = path.join('\0')
    const known = views.get(target)?.get(key)
    if (known) return known as JsonValue
    const child = (property: string): string[] => [...path, Array.isArray(target) ? ANY_ITEM : property]
    const isField = (property: string): boolean =>
      Array.isArray(target) ? /^\d+$/.test(property) : Object.hasOwn(target, property) || !(property in Object.prototype)
    const view = new Proxy(target, {
      get(object, property, receiver) {
        const found = Reflect.get(object, property, receiver) as JsonValue | undefined
        if (typeof property === 'symbol') return found
        if (Array.isArray(object) && property === 'length') {
          reads.push({ path, whole: false })
          return found
        }
        if (!isField(property)) return found
        reads.push({ path: child(property), whole: false })
        return wrap(found, child(property))
      },
      has(object, property) {
        if (typeof property === 'string') reads.push({ path: child(property), whole: false })
        return Reflect.has(object, property)
      },
      ownKeys(object) {
        reads.push({ path, whole: true })
        return Reflect.ownKeys(object)
      },
      getOwnPropertyDescriptor(object, property) {
        if (typeof property === 'string') reads.push({ path: child(property), whole: false })
        return Reflect.getOwnPropertyDescriptor(object, property)
      },
    })
    views.set(target, (views.get(target) ?? new Map()).set(key, view))
    return view as JsonValue
  }
  return wrap(value, []) as T
}

/**
 * The reads of a rule's check on one object that its declaration does not cover, described for a
 * failure message; [] when the rule does not apply or declares nothing (it then always runs).
 * A value read (or found absent) is covered by a declared field on its path, above or below it;
 * all the keys of a map are covered only by a declaration of the map or a parent.
 */
export function undeclaredReads(rule: Rule, resource: Resource): string[] {
  if (rule.kind === 'transition' || !rule.fieldsRead) return []
  const pod = podTemplateOf(resource)
  const declared = declaredFields(rule, pod) ?? []
  const reads: FieldRead[] = []
  const recorded: Resource = { ...resource, object: recording(resource.object, reads) }
  if (rule.kind === 'pod') {
    const recordedPod = podTemplateOf(recorded)
    if (!recordedPod) return []
    // building the template reads the containers' names, which every pod rule declares implicitly
    reads.length = 0
    rule.check(recordedPod, recorded)
  } else {
    if (!appliesTo(rule.appliesTo, resource.identity.group, resource.identity.kind)) return []
    rule.check(recorded)
  }
  const covered = (read: FieldRead): boolean =>
    declared.some((field) => (read.whole ? field.length <= read.path.length && onOnePath(read.path, field) : onOnePath(read.path, field)))
  const where = `${resource.file} (${resource.identity.kind} ${resource.identity.name})`
  return [...new Set(reads.filter((read) => !covered(read)).map((read) => `${read.whole ? 'all keys of ' : ''}${read.path.join('.') || '(root)'} in ${where}`))]
}

/** Whether one of two fields is the other or lies below it. */
export function onOnePath(a: FieldPath, b: FieldPath): boolean {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false
  return true
}

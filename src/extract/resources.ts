import type { Document } from 'yaml'
import { locate } from '../load/locate.js'
import type { ParsedYaml, ParseProblem } from '../load/parse.js'
import { TO_JS } from '../load/yaml-dialect.js'
import type { JsonObject, ObjectPath, Resource } from '../model.js'
import { groupOf, makeIdentity } from './identity.js'
import { asObject, asString } from './json.js'

/** Build-tool configuration that looks like an object but is never applied to a cluster. */
const CONFIG_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io'])

export interface ExtractedResources {
  resources: Resource[]
  problems: ParseProblem[]
}

/**
 * Turns the documents of one file into Kubernetes objects. Documents without `apiVersion` and
 * `kind` (CI workflows, Helm values, compose files) are not objects and are passed over silently;
 * `List` kinds are expanded into their items.
 */
export function extractResources(file: string, yaml: ParsedYaml): ExtractedResources {
  const resources: Resource[] = []
  const problems: ParseProblem[] = []
  yaml.documents.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) return
    const value = toJson(doc)
    if (value instanceof Error) {
      problems.push({ line: yaml.lineCounter.linePos(doc.range[0]).line, message: value.message })
      return
    }
    const object = asObject(value)
    if (!object || !isObjectHeader(object)) return
    const kind = object.kind as string
    const items = object.items
    if (kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, index) => {
        const itemObject = asObject(item)
        if (itemObject && isObjectHeader(itemObject)) {
          resources.push(toResource(file, yaml, documentIndex, ['items', index], itemObject))
        } else {
          const line = locate(yaml, documentIndex, ['items', index]).line
          problems.push({ line, message: `${kind} item ${index + 1} is not a Kubernetes object (needs apiVersion and kind)` })
        }
      })
      return
    }
    resources.push(toResource(file, yaml, documentIndex, [], object))
  })
  return { resources, problems }
}

function toJson(doc: Document.Parsed): unknown {
  try {
    const value: unknown = doc.toJS(TO_JS)
    // `&m { labels: *m }` resolves to an object that contains itself: no JSON, no Kubernetes object
    if (containsItself(value)) return new Error('an alias refers to a node that contains it (circular reference)')
    return value
  } catch (error) {
    return new Error(error instanceof Error ? error.message : String(error))
  }
}

/** Whether a value reaches one of its own ancestors: what a YAML alias to an enclosing anchor builds. */
function containsItself(value: unknown, ancestors = new Set<object>(), acyclic = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object' || acyclic.has(value)) return false
  if (ancestors.has(value)) return true
  ancestors.add(value)
  for (const child of Object.values(value)) if (containsItself(child, ancestors, acyclic)) return true
  ancestors.delete(value)
  acyclic.add(value)
  return false
}

function isObjectHeader(object: JsonObject): boolean {
  const apiVersion = asString(object.apiVersion)
  const kind = asString(object.kind)
  if (!apiVersion || !kind) return false
  return !CONFIG_GROUPS.has(groupOf(apiVersion))
}

function toResource(
  file: string,
  yaml: ParsedYaml,
  documentIndex: number,
  documentPath: ObjectPath,
  object: JsonObject,
): Resource {
  const metadata = asObject(object.metadata)
  const name = asString(metadata?.name) ?? asString(metadata?.generateName) ?? ''
  const apiVersion = asString(object.apiVersion) ?? ''
  return {
    identity: makeIdentity(apiVersion, asString(object.kind) ?? '', asString(metadata?.namespace), name),
    apiVersion,
    file,
    documentIndex,
    documentPath,
    object,
    line: locate(yaml, documentIndex, documentPath).line,
  }
}

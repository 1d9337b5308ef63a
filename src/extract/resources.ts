import type { Document } from 'yaml'
import { locate } from '../load/locate.js'
import { capProblems, type ParsedYaml, type ParseProblem } from '../load/parse.js'
import { NOT_PLAIN, plainValue } from '../load/plain-value.js'
import { MAX_NESTING, TO_JS } from '../load/yaml-dialect.js'
import type { JsonObject, ObjectPath, Resource } from '../model.js'
import { groupOf, makeIdentity } from './identity.js'
import { asObject, asString } from './json.js'
import { BUILTIN_POD_TEMPLATES, type PodTemplateTable } from './pod-template.js'
import { markStructural, structureProblems } from './structure.js'

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
export function extractResources(
  file: string,
  yaml: ParsedYaml,
  podTemplates: PodTemplateTable = BUILTIN_POD_TEMPLATES,
): ExtractedResources {
  const resources: Resource[] = []
  const problems: ParseProblem[] = []
  const lineOf = (documentIndex: number, path: ObjectPath): number => locate(yaml, documentIndex, path).line
  const add = (resource: Resource): void => {
    resources.push(resource)
    for (const problem of structureProblems(resource, podTemplates)) {
      problems.push(markStructural({ line: lineOf(resource.documentIndex, [...resource.documentPath, ...problem.path]), message: problem.message }))
    }
  }
  yaml.documents.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) return
    const value = documentValue(doc)
    if (value instanceof Error) {
      // the document's first line of content, not the `---` before it
      problems.push({ line: yaml.lineCounter.linePos(doc.contents?.range[0] ?? doc.range[0]).line, message: value.message })
      return
    }
    const object = asObject(value)
    if (!object) return
    const header = headerProblem(object)
    if (header) {
      problems.push({ line: lineOf(documentIndex, [header.key]), message: header.message })
      return
    }
    if (!isObjectHeader(object)) return
    const kind = object.kind as string
    const items = object.items
    if (kind.endsWith('List') && items !== undefined && !Array.isArray(items)) {
      // `items:` with nothing after it is an empty List; anything else is not one
      if (items !== null) problems.push({ line: lineOf(documentIndex, ['items']), message: `${kind} items must be a list` })
      return
    }
    if (kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, index) => {
        const itemObject = asObject(item)
        const itemHeader = itemObject ? headerProblem(itemObject) : null
        if (itemObject && itemHeader) {
          problems.push({ line: lineOf(documentIndex, ['items', index, itemHeader.key]), message: `${kind} item ${index + 1}: ${itemHeader.message}` })
        } else if (itemObject && isObjectHeader(itemObject)) {
          add(toResource(file, yaml, documentIndex, ['items', index], itemObject))
        } else {
          const line = lineOf(documentIndex, ['items', index])
          problems.push({ line, message: `${kind} item ${index + 1} is not a Kubernetes object (needs apiVersion and kind)` })
        }
      })
      return
    }
    add(toResource(file, yaml, documentIndex, [], object))
  })
  return { resources, problems: capProblems(problems) }
}

/**
 * A document as plain JSON, or an Error saying why it cannot be: an alias bomb, an alias to an
 * enclosing node (circular), nesting past MAX_NESTING once aliases are expanded. Never throws.
 */
export function documentValue(doc: Document.Parsed): unknown {
  // a plain document is a tree no deeper than parsing allowed: nothing to check
  const plain = plainValue(doc)
  if (plain !== NOT_PLAIN) return plain
  try {
    const value: unknown = doc.toJS(TO_JS)
    const shape = shapeProblem(value)
    // `&m { labels: *m }` resolves to an object that contains itself: no JSON, no Kubernetes object
    if (shape === 'circular') return new Error('an alias refers to a node that contains it (circular reference)')
    if (shape === 'deep') return new Error(`nested more than ${MAX_NESTING} levels deep once aliases are expanded: not read`)
    return value
  } catch (error) {
    return new Error(error instanceof Error ? error.message : String(error))
  }
}

/**
 * Whether a value reaches one of its own ancestors (what a YAML alias to an enclosing anchor
 * builds), or nests deeper than MAX_NESTING (aliases can stack anchored subtrees on each other).
 * Iterative, and each shared (aliased) subtree is walked once.
 */
export function shapeProblem(root: unknown): 'circular' | 'deep' | null {
  if (root === null || typeof root !== 'object') return null
  /** the height of every subtree walked already: collections in its deepest chain, itself included */
  const heights = new Map<object, number>()
  const onPath = new Set<object>()
  type Frame = { value: object; children: unknown[]; next: number; height: number }
  const stack: Frame[] = [{ value: root, children: Object.values(root), next: 0, height: 1 }]
  onPath.add(root)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.next >= frame.children.length) {
      stack.pop()
      onPath.delete(frame.value)
      heights.set(frame.value, frame.height)
      const parent = stack[stack.length - 1]
      if (parent) parent.height = Math.max(parent.height, frame.height + 1)
      continue
    }
    const child = frame.children[frame.next++]
    if (child === null || typeof child !== 'object') continue
    if (onPath.has(child)) return 'circular'
    const known = heights.get(child)
    if (known !== undefined) {
      // a shared (aliased) subtree: walked once, its height counted wherever it is used
      if (stack.length + known > MAX_NESTING) return 'deep'
      frame.height = Math.max(frame.height, known + 1)
      continue
    }
    if (stack.length >= MAX_NESTING) return 'deep'
    onPath.add(child)
    stack.push({ value: child, children: Object.values(child), next: 0, height: 1 })
  }
  return null
}

/**
 * A document that means to be an object (it has both `apiVersion` and `kind`) but where one of
 * them is not a name: the API server refuses it, so it is reported rather than passed over.
 */
function headerProblem(object: JsonObject): { key: string; message: string } | null {
  if (object.apiVersion === undefined || object.apiVersion === null || object.kind === undefined || object.kind === null) return null
  for (const key of ['apiVersion', 'kind'] as const) {
    const value = object[key]
    if (typeof value !== 'string' || value === '') return { key, message: `${key} must be a non-empty string` }
  }
  return null
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

import { Document, parse } from 'yaml'
import { isClusterScoped, groupOf } from '../../extract/identity.js'
import { documentValue } from '../../extract/resources.js'
import type { JsonObject } from '../../model.js'
import { parseYamlDocuments } from '../parse.js'
import { KUBERNETES_YAML } from '../yaml-dialect.js'
import { joinRepo } from './paths.js'

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin'
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations'

/** Where Kustomize says an object came from. */
export interface Origin {
  /** the repository file that holds the object, when it came from a local file */
  file: string | null
  /** for a generated object (ConfigMapGenerator…): the kustomization that configured the generator */
  configuredIn: string | null
  /** the generator's kind (`ConfigMapGenerator`) */
  generator: string | null
  /** for an object from a remote base: the repository URL */
  repo: string | null
}

/** One object a tool rendered, with what is known of its sources. */
export interface RenderedDoc {
  object: JsonObject
  /** Kustomize: the file or generator it came from */
  origin: Origin | null
  /** Kustomize: kustomization files that ran patch transformers over it, the last one first */
  patchedBy: string[]
  /** Kustomize: kustomization files that ran the image transformer over it, the last one first */
  imagesBy: string[]
  /** Helm: the template file (`# Source:`), as a repository path */
  template: string | null
}

/** A tool's output, ready to evaluate: one clean YAML document per object, and what each came from. */
export interface RenderedOutput {
  docs: RenderedDoc[]
  /** the objects as YAML, in `docs` order, with the build annotations removed */
  text: string
  /** documents the tool emitted that are not YAML */
  problems: { file: string | null; message: string }[]
}

/**
 * Reads `kustomize build` output made with origin and transformer annotations. Paths in the
 * annotations are relative to the built directory (`rootDir`); they become repository paths.
 * The annotations are removed before any rule sees the objects.
 */
export function kustomizeOutput(text: string, rootDir: string): RenderedOutput {
  const out: RenderedOutput = { docs: [], text: '', problems: [] }
  // guarded like any manifest: nesting bounded before composing, toJS() never throws (aliases, depth)
  for (const doc of parseYamlDocuments(text)) {
    const object = renderedObject(doc, null, out)
    if (!object) continue
    const annotations = annotationsOf(object)
    const origin = readOrigin(annotations?.[ORIGIN_ANNOTATION], rootDir)
    const transformations = readTransformations(annotations?.[TRANSFORMATIONS_ANNOTATION], rootDir)
    if (annotations) {
      delete annotations[ORIGIN_ANNOTATION]
      delete annotations[TRANSFORMATIONS_ANNOTATION]
      if (Object.keys(annotations).length === 0) delete (object.metadata as JsonObject).annotations
    }
    const by = (kinds: readonly string[]): string[] => [
      ...new Set(
        transformations
          .filter((t) => kinds.includes(t.kind))
          .map((t) => t.configuredIn)
          .reverse(),
      ),
    ]
    out.docs.push({
      object,
      origin,
      patchedBy: by(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer']),
      imagesBy: by(['ImageTagTransformer']),
      template: null,
    })
  }
  out.text = serialise(out.docs)
  return out
}

/** One rendered document as an object, or null (a problem is recorded when it cannot be read). */
function renderedObject(doc: Parameters<typeof documentValue>[0], file: string | null, out: RenderedOutput): JsonObject | null {
  if (doc.errors.length > 0) {
    out.problems.push({ file, message: `rendered YAML does not parse: ${doc.errors[0]?.message.split('\n')[0] ?? ''}` })
    return null
  }
  const value = documentValue(doc)
  if (value instanceof Error) {
    out.problems.push({ file, message: `rendered YAML cannot be read: ${value.message}` })
    return null
  }
  return asJsonObject(value) ?? null
}

/**
 * Reads `helm template` output: documents follow `# Source: <chart>/templates/<file>` comments,
 * whose first segment is the chart's name and the rest a path inside the chart's directory.
 * Namespaced objects that name no namespace get the release's (as `helm install -n` does).
 */
export function helmOutput(text: string, chartDir: string, namespace: string | null): RenderedOutput {
  const out: RenderedOutput = { docs: [], text: '', problems: [] }
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? null
    const inChart = source === null ? null : source.slice(source.indexOf('/') + 1)
    const template = inChart === null || source?.indexOf('/') === -1 ? null : joinRepo(chartDir, inChart)
    const docs = parseYamlDocuments(chunk)
    for (const doc of docs) {
      const object = renderedObject(doc, template, out)
      if (!object) continue
      if (namespace !== null) setNamespace(object, namespace)
      out.docs.push({ object, origin: null, patchedBy: [], imagesBy: [], template })
    }
  }
  out.text = serialise(out.docs)
  return out
}

function setNamespace(object: JsonObject, namespace: string): void {
  const metadata = asJsonObject(object.metadata)
  if (!metadata || typeof metadata.namespace === 'string' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return
  if (isClusterScoped(groupOf(object.apiVersion), object.kind)) return
  metadata.namespace = namespace
}

function serialise(docs: readonly RenderedDoc[]): string {
  return docs.map((d) => new Document(d.object, KUBERNETES_YAML).toString({ lineWidth: 0 })).join('---\n')
}

function asJsonObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null
}

function annotationsOf(object: JsonObject): JsonObject | null {
  return asJsonObject(asJsonObject(object.metadata)?.annotations)
}

function readOrigin(value: unknown, rootDir: string): Origin | null {
  if (typeof value !== 'string') return null
  const origin = asJsonObject(safeParse(value))
  if (!origin) return null
  const repo = typeof origin.repo === 'string' ? origin.repo : null
  const path = typeof origin.path === 'string' && repo === null ? joinRepo(rootDir, origin.path) : null
  const configuredIn = typeof origin.configuredIn === 'string' ? joinRepo(rootDir, origin.configuredIn) : null
  const by = asJsonObject(origin.configuredBy)
  return { file: path, configuredIn, generator: typeof by?.kind === 'string' ? by.kind : null, repo }
}

function readTransformations(value: unknown, rootDir: string): { configuredIn: string; kind: string }[] {
  if (typeof value !== 'string') return []
  const list = safeParse(value)
  if (!Array.isArray(list)) return []
  return list.flatMap((entry) => {
    const t = asJsonObject(entry)
    const file = typeof t?.configuredIn === 'string' ? joinRepo(rootDir, t.configuredIn) : null
    const kind = asJsonObject(t?.configuredBy)?.kind
    return file !== null && typeof kind === 'string' ? [{ configuredIn: file, kind }] : []
  })
}

function safeParse(text: string): unknown {
  try {
    return parse(text, KUBERNETES_YAML)
  } catch {
    return null
  }
}

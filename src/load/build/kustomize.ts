import { type Document, isMap, parseDocument } from 'yaml'
import { KUBERNETES_YAML, TO_JS } from '../yaml-dialect.js'
import { baseOf, dirOf, inDir, isRemoteRef, isUnder, joinRepo } from './paths.js'

/** The names Kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const

export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_FILES as readonly string[]).includes(baseOf(path))
}

/** Where a patch that a kustomization applies is written. */
export interface PatchRef {
  /** the patch file, or null for a patch written inline in the kustomization */
  file: string | null
  /** for an inline patch: its place in the kustomization document */
  inline: (string | number)[] | null
  /** `patches[].target` / `patchesJson6902[].target`: which objects it applies to */
  target: { kind?: string; name?: string } | null
}

/** What one kustomization (or component) reads, resolved to repository paths. */
export interface Kustomization {
  file: string
  dir: string
  component: boolean
  /** plain files under `resources` / `bases`: complete objects */
  resources: string[]
  /** kustomization directories under `resources` / `bases` */
  bases: string[]
  components: string[]
  /** files consumed as patches: partial objects, never manifests of their own */
  patches: string[]
  patchRefs: PatchRef[]
  /** other files the build reads and never emits as they are: generator inputs, configurations, CRD schemas, replacements, transformer configs */
  data: string[]
  /** referenced directories with no kustomization, read whole */
  dirs: string[]
  /** files named anywhere else in the kustomization: written out for the build, nothing more */
  extra: string[]
  /** references that need the network */
  remote: string[]
}

/** A revision's file tree as the graph needs it. */
export interface TreeIndex {
  files: ReadonlySet<string>
  dirs: ReadonlySet<string>
}

export function treeIndex(paths: Iterable<string>): TreeIndex {
  const files = new Set<string>()
  const dirs = new Set<string>([''])
  for (const path of paths) {
    files.add(path)
    for (let dir = dirOf(path); dir !== '' && !dirs.has(dir); dir = dirOf(dir)) dirs.add(dir)
  }
  return { files, dirs }
}

/** The kustomization file of a directory, in Kustomize's order of preference. */
export function kustomizationIn(dir: string, tree: TreeIndex): string | null {
  for (const name of KUSTOMIZATION_FILES) {
    const file = inDir(dir, name)
    if (tree.files.has(file)) return file
  }
  return null
}

/**
 * Every kustomization of one revision and what each reads. Built from the kustomization files
 * alone: which files a build consumes, which overlays a change reaches, and which files are
 * patches rather than manifests.
 */
export class KustomizeGraph {
  readonly byDir = new Map<string, Kustomization>()

  constructor(
    readonly tree: TreeIndex,
    texts: ReadonlyMap<string, Buffer>,
  ) {
    for (const [file, bytes] of texts) {
      const dir = dirOf(file)
      if (kustomizationIn(dir, tree) !== file) continue
      this.byDir.set(dir, readKustomization(file, bytes.toString('utf8'), tree))
    }
  }

  /**
   * The kustomizations something deploys: every `Kustomization` that no other one lists as a base
   * or component. A base is built as part of each overlay that uses it, not on its own.
   */
  roots(): Kustomization[] {
    const used = new Set<string>()
    for (const k of this.byDir.values()) for (const dir of [...k.bases, ...k.components]) used.add(dir)
    return [...this.byDir.values()].filter((k) => !k.component && !used.has(k.dir)).sort((a, b) => (a.file < b.file ? -1 : 1))
  }

  /** Every file a build of `dir` may read: its kustomization, what that references, and so on down. */
  inputs(dir: string): string[] {
    const files = new Set<string>()
    this.walk(dir, new Set(), (k) => {
      files.add(k.file)
      for (const f of [...k.resources, ...k.patches, ...k.data, ...k.extra]) files.add(f)
      for (const d of k.dirs) for (const f of this.tree.files) if (isUnder(f, d)) files.add(f)
    })
    return [...files].sort()
  }

  /** The plain resource files a build of `dir` emits (through its bases and components). */
  resourcesOf(dir: string): string[] {
    const files = new Set<string>()
    this.walk(dir, new Set(), (k) => {
      for (const f of k.resources) files.add(f)
    })
    return [...files]
  }

  /** The kustomization files a build of `dir` reads. */
  kustomizationsOf(dir: string): string[] {
    const files: string[] = []
    this.walk(dir, new Set(), (k) => files.push(k.file))
    return files
  }

  /** The remote references a build of `dir` meets: it cannot succeed offline. */
  remoteOf(dir: string): string[] {
    const refs: string[] = []
    this.walk(dir, new Set(), (k) => refs.push(...k.remote))
    return refs
  }

  /** Files some kustomization consumes as patches or data: never evaluated as manifests of their own. */
  partialFiles(): Set<string> {
    const resources = new Set<string>()
    const partial = new Set<string>()
    for (const k of this.byDir.values()) {
      for (const f of k.resources) resources.add(f)
      for (const f of [...k.patches, ...k.data]) partial.add(f)
    }
    // a file that is a resource somewhere is a whole object, whatever else reads it
    for (const f of resources) partial.delete(f)
    return partial
  }

  private walk(dir: string, seen: Set<string>, visit: (k: Kustomization) => void): void {
    if (seen.has(dir)) return
    seen.add(dir)
    const k = this.byDir.get(dir)
    if (!k) return
    visit(k)
    for (const next of [...k.bases, ...k.components]) this.walk(next, seen, visit)
  }
}

type Json = unknown

/** Reads the references out of one kustomization. A file that does not parse references nothing (its build says why). */
export function readKustomization(file: string, text: string, tree: TreeIndex): Kustomization {
  const dir = dirOf(file)
  const k: Kustomization = {
    file,
    dir,
    component: false,
    resources: [],
    bases: [],
    components: [],
    patches: [],
    patchRefs: [],
    data: [],
    dirs: [],
    extra: [],
    remote: [],
  }
  let value: Json
  try {
    const doc = parseDocument(text, KUBERNETES_YAML)
    if (doc.errors.length > 0) return k
    value = doc.toJS(TO_JS)
  } catch {
    return k
  }
  if (!isObject(value)) return k
  k.component = value.kind === 'Component'

  const resolve = (ref: unknown): { file: string } | { dir: string } | { remote: string } | null => {
    if (typeof ref !== 'string' || ref.trim() === '' || ref.includes('\n')) return null
    const trimmed = ref.trim()
    if (isRemoteRef(trimmed)) return { remote: trimmed }
    const path = joinRepo(dir, trimmed)
    if (path === null) return null
    if (tree.files.has(path)) return { file: path }
    if (path !== '' && tree.dirs.has(path)) return { dir: path }
    return null
  }
  const addDir = (target: string[], path: string): void => {
    if (kustomizationIn(path, tree)) target.push(path)
    else k.dirs.push(path)
  }
  const known = new Set<unknown>()
  const take = (ref: unknown, role: 'resource' | 'component' | 'patch' | 'data'): void => {
    known.add(ref)
    const found = resolve(ref)
    if (!found) return
    if ('remote' in found) k.remote.push(found.remote)
    else if ('dir' in found) addDir(role === 'component' ? k.components : role === 'resource' ? k.bases : k.dirs, found.dir)
    else if (role === 'resource') k.resources.push(found.file)
    else if (role === 'patch') k.patches.push(found.file)
    else k.data.push(found.file)
  }

  for (const ref of [...list(value.resources), ...list(value.bases)]) take(ref, 'resource')
  for (const ref of list(value.components)) take(ref, 'component')
  list(value.patchesStrategicMerge).forEach((entry, i) => {
    if (typeof entry !== 'string') return
    if (looksInline(entry)) k.patchRefs.push({ file: null, inline: ['patchesStrategicMerge', i], target: null })
    else {
      take(entry, 'patch')
      const found = resolve(entry)
      if (found && 'file' in found) k.patchRefs.push({ file: found.file, inline: null, target: null })
    }
  })
  for (const field of ['patches', 'patchesJson6902'] as const) {
    list(value[field]).forEach((entry, i) => {
      if (!isObject(entry)) return
      const target = isObject(entry.target)
        ? { ...(typeof entry.target.kind === 'string' ? { kind: entry.target.kind } : {}), ...(typeof entry.target.name === 'string' ? { name: entry.target.name } : {}) }
        : null
      if (typeof entry.path === 'string') {
        take(entry.path, 'patch')
        const found = resolve(entry.path)
        if (found && 'file' in found) k.patchRefs.push({ file: found.file, inline: null, target })
      }
      if (typeof entry.patch === 'string') k.patchRefs.push({ file: null, inline: [field, i, 'patch'], target })
    })
  }
  for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
    for (const generator of list(value[field])) {
      if (!isObject(generator)) continue
      for (const f of list(generator.files)) take(typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f, 'data')
      for (const f of list(generator.envs)) take(f, 'data')
      take(generator.env, 'data')
    }
  }
  for (const field of ['crds', 'configurations', 'generators', 'transformers', 'validators'] as const) {
    for (const ref of list(value[field])) take(ref, 'data')
  }
  for (const replacement of list(value.replacements)) if (isObject(replacement)) take(replacement.path, 'data')
  if (isObject(value.openapi)) take(value.openapi.path, 'data')

  // Anything else that names a file of the revision is written out too: a build must not fail
  // for a field this list does not know.
  for (const s of strings(value)) {
    if (known.has(s)) continue
    const found = resolve(s)
    if (found && 'file' in found && found.file !== file) k.extra.push(found.file)
  }
  return k
}

/** Whether a `patchesStrategicMerge` entry is a patch written inline rather than a file name. */
function looksInline(entry: string): boolean {
  return entry.includes('\n') || /^\s*(apiVersion|kind|metadata)\s*:/.test(entry)
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function list(value: Json): Json[] {
  return Array.isArray(value) ? value : []
}

function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) strings(v, out)
  else if (isObject(value)) for (const v of Object.values(value)) strings(v, out)
  return out
}

/** The annotations that make Kustomize say where each object and each change came from. */
const BUILD_METADATA = ['originAnnotations', 'transformerAnnotations']

/**
 * The kustomization as written, plus `buildMetadata: [originAnnotations, transformerAnnotations]`
 * so rendered objects carry `config.kubernetes.io/origin` and
 * `alpha.config.kubernetes.io/transformations`. Only the temporary copy is changed. A file that
 * does not parse is left alone: the build reports it.
 */
export function withBuildMetadata(text: string): string {
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, KUBERNETES_YAML)
  } catch {
    return text
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return text
  let current: unknown
  try {
    current = (doc.toJS(TO_JS) as Record<string, unknown>).buildMetadata
  } catch {
    return text
  }
  const values = Array.isArray(current) ? current.filter((v): v is string => typeof v === 'string') : []
  for (const wanted of BUILD_METADATA) if (!values.includes(wanted)) values.push(wanted)
  doc.set('buildMetadata', doc.createNode(values, { flow: true }))
  return doc.toString({ lineWidth: 0 })
}

import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, Scalar } from 'yaml'
import type { JsonObject } from '../../model.js'
import { lastContentOffset } from '../locate.js'
import { parseManifestFile, type ParsedYaml } from '../parse.js'
import type { FileContent } from '../source.js'
import { KUBERNETES_YAML, TO_JS } from '../yaml-dialect.js'
import { isNode } from '../yaml-path.js'
import type { KustomizeGraph, PatchRef } from './kustomize.js'
import { dirOf } from './paths.js'
import { keysOf, type PathStep, resolveSteps, walkConcrete, walkSteps, type YamlReach } from './object-path.js'
import type { RenderedDoc } from './output.js'

/** A place in a repository file. */
export interface SourceLine {
  file: string
  line: number
  endLine: number
}

/** The files one revision's renders read, parsed on demand. */
export class SourceTexts {
  private readonly parsed = new Map<string, ParsedYaml | null>()
  private readonly leaves = new Map<string, ValuesLeaf[] | null>()

  constructor(private readonly files: ReadonlyMap<string, FileContent>) {}

  has(path: string): boolean {
    return this.files.has(path)
  }

  blobId(path: string): string | undefined {
    return this.files.get(path)?.blobId
  }

  text(path: string): string | null {
    const content = this.files.get(path)
    return content ? content.bytes.toString('utf8') : null
  }

  yaml(path: string): ParsedYaml | null {
    if (this.parsed.has(path)) return this.parsed.get(path) ?? null
    const content = this.files.get(path)
    const outcome = content ? parseManifestFile(path, content.bytes) : null
    const yaml = outcome?.kind === 'parsed' ? outcome.yaml : null
    this.parsed.set(path, yaml)
    return yaml
  }

  /** A Helm values file's scalar leaves with their lines. */
  valuesLeaves(path: string): ValuesLeaf[] | null {
    if (this.leaves.has(path)) return this.leaves.get(path) ?? null
    const yaml = this.yaml(path)
    const doc = yaml?.documents[0]
    const found = yaml && doc?.contents && doc.errors.length === 0 ? flatten(yaml, doc, doc.contents, []) : null
    this.leaves.set(path, found)
    return found
  }
}

function lineOf(yaml: ParsedYaml, offset: number): number {
  return yaml.lineCounter.linePos(offset).line
}

function span(yaml: ParsedYaml, reach: YamlReach, lineOffset = 0): { line: number; endLine: number } {
  const line = lineOf(yaml, reach.start) + lineOffset
  if (!reach.exact) return { line, endLine: line }
  const end = lastContentOffset(yaml.text, reach.start, reach.node.range?.[1] ?? reach.start)
  return { line, endLine: Math.max(line, lineOf(yaml, end) + lineOffset) }
}

// ---------------------------------------------------------------------------------------------
// Kustomize

interface Candidate extends SourceLine {
  depth: number
  exact: boolean
}

/**
 * Where a rendered object's field is written. A patch that sets the field wins (the last applied
 * first); then the file the object came from, at the field or, where the field is missing, the
 * nearest part of it that exists (as for a plain manifest); then the generator that made the
 * object; else line 1 of the built kustomization, which names the overlay.
 */
export function placeKustomize(
  doc: RenderedDoc,
  steps: readonly PathStep[],
  texts: SourceTexts,
  graph: KustomizeGraph,
  rootFile: string,
): SourceLine {
  const resolved = resolveSteps(doc.object, steps)
  const kind = typeof doc.object.kind === 'string' ? doc.object.kind : ''
  const name = nameOf(doc.object)

  const patches: Candidate[] = []
  for (const kustomizationFile of doc.patchedBy) {
    const k = graph.byDir.get(dirOf(kustomizationFile))
    if (!k || k.file !== kustomizationFile) continue
    for (const ref of [...k.patchRefs].reverse()) {
      const found = placeInPatch(ref, k.file, texts, kind, name, steps, resolved)
      if (found) patches.push(found)
    }
  }
  const exactPatch = patches.find((c) => c.exact)
  if (exactPatch) return exactPatch

  const image = placeImage(doc, steps, texts)
  if (image) return image

  const origin = doc.origin?.file ? placeInFile(doc.origin.file, texts, kind, name, steps) : null
  if (origin?.exact) return origin
  if (origin) {
    const deeper = patches.filter((c) => c.depth > origin.depth).sort((a, b) => b.depth - a.depth)[0]
    return deeper ?? origin
  }
  const deepest = patches.filter((c) => c.depth > 0).sort((a, b) => b.depth - a.depth)[0]
  if (deepest) return deepest

  const generatedIn = doc.origin?.configuredIn
  if (generatedIn && texts.has(generatedIn)) {
    const field = doc.origin?.generator ? GENERATOR_FIELDS[doc.origin.generator] : undefined
    const yaml = texts.yaml(generatedIn)
    const root = yaml?.documents[0]?.contents
    if (field && yaml && root && isNode(root)) {
      const reach = walkConcrete(yaml.documents[0] as Document.Parsed, root, [field])
      if (reach.exact) return { file: generatedIn, line: lineOf(yaml, reach.start), endLine: lineOf(yaml, reach.start) }
    }
    return { file: generatedIn, line: 1, endLine: 1 }
  }
  return { file: rootFile, line: 1, endLine: 1 }
}

const GENERATOR_FIELDS: Record<string, string> = { ConfigMapGenerator: 'configMapGenerator', SecretGenerator: 'secretGenerator' }

function nameOf(object: JsonObject): string {
  const metadata = object.metadata
  const name = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata.name : undefined
  return typeof name === 'string' ? name : ''
}

/** Whether a patch's or origin document's name stands for the rendered object (prefixes and suffixes aside). */
function sameName(written: unknown, rendered: string): boolean {
  if (typeof written !== 'string' || written === '') return true
  if (written === rendered || rendered.includes(written)) return true
  try {
    return new RegExp(`^(?:${written})$`).test(rendered)
  } catch {
    return false
  }
}

/** The field in the object's own file: the document of the same kind whose name the rendered name contains. */
function placeInFile(file: string, texts: SourceTexts, kind: string, name: string, steps: readonly PathStep[]): Candidate | null {
  const yaml = texts.yaml(file)
  if (!yaml) return null
  let best: { doc: Document.Parsed; score: number } | null = null
  for (const doc of yaml.documents) {
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue
    const js = toJs(doc)
    if (!js || js.kind !== kind) continue
    const written = nameOf(js)
    const score = written === name ? 1e6 : written !== '' && name.includes(written) ? written.length : -1
    if (score >= 0 && (!best || score > best.score)) best = { doc, score }
  }
  if (!best?.doc.contents) return null
  const reach = walkSteps(best.doc, best.doc.contents, steps)
  return { file, ...span(yaml, reach), depth: reach.depth, exact: reach.exact }
}

/** The field in one patch: a strategic-merge document that names the object, or a JSON 6902 operation that sets it. */
function placeInPatch(
  ref: PatchRef,
  kustomizationFile: string,
  texts: SourceTexts,
  kind: string,
  name: string,
  steps: readonly PathStep[],
  resolved: ReturnType<typeof resolveSteps>,
): Candidate | null {
  if (ref.target?.kind && ref.target.kind !== kind) return null
  if (ref.target?.name && !sameName(ref.target.name, name)) return null
  const source = patchText(ref, kustomizationFile, texts)
  if (!source) return null
  const { yaml, file, lineOffset } = source
  let best: Candidate | null = null
  const consider = (c: Candidate): void => {
    if (!best || (c.exact && !best.exact) || (c.exact === best.exact && c.depth > best.depth)) best = c
  }
  for (const doc of yaml.documents) {
    if (doc.errors.length > 0 || !doc.contents) continue
    if (isSeq(doc.contents)) {
      const ops = toJsValue(doc)
      if (!Array.isArray(ops)) continue
      ops.forEach((entry: unknown, index) => {
        const op = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as JsonObject) : null
        if (!op || !['add', 'replace'].includes(String(op.op)) || typeof op.path !== 'string') return
        const pointer = parsePointer(op.path)
        if (!pointerCovers(pointer, resolved.path)) return
        const valueAt = walkConcrete(doc, doc.contents as Node, [index, 'value'])
        if (!valueAt.exact) return
        const rest = resolved.path.slice(pointer.length)
        const inside = walkConcrete(doc, valueAt.node, rest)
        const depth = pointer.length + inside.depth
        const exact = resolved.complete && inside.exact && depth === steps.length
        // the field inside the operation's value, else the operation's `value:` line
        const reach = rest.length > 0 && inside.depth > 0 ? inside : valueAt
        consider({ file, ...span(yaml, { ...reach, exact }, lineOffset), depth, exact })
      })
      continue
    }
    if (!isMap(doc.contents)) continue
    const js = toJs(doc)
    if (!js) continue
    if (typeof js.kind === 'string' && js.kind !== kind) continue
    if (!sameName(nameOf(js), name)) continue
    const reach = walkSteps(doc, doc.contents, steps)
    // a patch that only names the object says nothing about the field
    if (reach.depth === 0 && steps.length > 0) continue
    consider({ file, ...span(yaml, reach, lineOffset), depth: reach.depth, exact: reach.exact })
  }
  return best
}

/** A patch's YAML: its file, or the inline text in the kustomization with the line it starts on. */
function patchText(ref: PatchRef, kustomizationFile: string, texts: SourceTexts): { yaml: ParsedYaml; file: string; lineOffset: number } | null {
  if (ref.file) {
    const yaml = texts.yaml(ref.file)
    return yaml ? { yaml, file: ref.file, lineOffset: 0 } : null
  }
  if (!ref.inline) return null
  const outer = texts.yaml(kustomizationFile)
  const doc = outer?.documents[0]
  if (!outer || !doc?.contents) return null
  const reach = walkConcrete(doc, doc.contents, ref.inline)
  if (!reach.exact || !isScalar(reach.node) || typeof reach.node.value !== 'string') return null
  const block = reach.node.type === Scalar.BLOCK_LITERAL || reach.node.type === Scalar.BLOCK_FOLDED
  if (!block) return null
  const lineCounter = new LineCounter()
  const text = reach.node.value
  const documents = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter })
  // a block scalar's content starts on the line after its indicator
  const first = lineOf(outer, reach.node.range?.[0] ?? 0)
  return { yaml: { text, lineCounter, documents: Array.isArray(documents) ? documents : [] }, file: kustomizationFile, lineOffset: first }
}

/** `/spec/template/spec/containers/0/securityContext` as keys and indexes (`-`, append, stays a string). */
function parsePointer(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/** Whether an operation's path is the field's path or one of its ancestors (`-` stands for any index). */
function pointerCovers(pointer: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  if (pointer.length === 0 || pointer.length > path.length) return false
  return pointer.every((segment, i) => segment === path[i] || (segment === '-' && typeof path[i] === 'number'))
}

/** An image finding on an object whose image an `images:` entry rewrote: that entry. */
function placeImage(doc: RenderedDoc, steps: readonly PathStep[], texts: SourceTexts): Candidate | null {
  const last = steps[steps.length - 1]
  if (doc.imagesBy.length === 0 || last?.kind !== 'key' || last.key !== 'image') return null
  const rendered = resolveSteps(doc.object, steps).value
  if (typeof rendered !== 'string') return null
  const imageName = rendered.replace(/@.*$/, '').replace(/:[^:/]*$/, '')
  for (const file of doc.imagesBy) {
    const yaml = texts.yaml(file)
    const root = yaml?.documents[0]?.contents
    if (!yaml || !root) continue
    const js = toJs(yaml.documents[0] as Document.Parsed)
    const images = Array.isArray(js?.images) ? js.images : []
    const index = images.findIndex((entry) => {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return false
      return entry.newName === imageName || (entry.name === imageName && entry.newName === undefined)
    })
    if (index < 0) continue
    const entry = images[index] as JsonObject
    const field = ['digest', 'newTag', 'newName'].find((f) => entry[f] !== undefined)
    const reach = walkConcrete(yaml.documents[0] as Document.Parsed, root, field ? ['images', index, field] : ['images', index])
    return { file, ...span(yaml, reach), depth: steps.length, exact: true }
  }
  return null
}

function toJsValue(doc: Document.Parsed): unknown {
  try {
    return doc.toJS(TO_JS)
  } catch {
    return null
  }
}

function toJs(doc: Document.Parsed): JsonObject | null {
  const value = toJsValue(doc)
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null
}

// ---------------------------------------------------------------------------------------------
// Helm

/** One scalar of a values file: its path, value and line. */
export interface ValuesLeaf {
  path: (string | number)[]
  value: unknown
  line: number
}

function flatten(yaml: ParsedYaml, doc: Document.Parsed, node: unknown, path: (string | number)[], out: ValuesLeaf[] = []): ValuesLeaf[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue
      const key = String(pair.key.value)
      if (isScalar(pair.value)) out.push({ path: [...path, key], value: pair.value.value, line: lineOf(yaml, pair.key.range?.[0] ?? 0) })
      else flatten(yaml, doc, pair.value, [...path, key], out)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (isScalar(item)) out.push({ path: [...path, index], value: item.value, line: lineOf(yaml, item.range?.[0] ?? 0) })
      else flatten(yaml, doc, item, [...path, index], out)
    })
  }
  return out
}

/**
 * How well a values key matches the end of the finding's path: the number of trailing steps
 * that agree (keys by name; a value list item by its value), 0 when the last one does not.
 */
export function suffixMatch(steps: readonly PathStep[], leaf: ValuesLeaf, rendered: unknown): number {
  let i = steps.length - 1
  let j = leaf.path.length - 1
  let matched = 0
  const last = steps[i]
  if (!last) return 0
  if (last.kind === 'value') {
    if (typeof leaf.path[j] !== 'number' || String(leaf.value) !== last.value) return 0
    i--
    j--
    matched++
  } else if (last.kind === 'key') {
    if (!sameScalar(leaf.value, rendered)) return 0
  } else return 0
  while (i >= 0 && j >= 0) {
    const step = steps[i] as PathStep
    if (step.kind !== 'key' || leaf.path[j] !== step.key) break
    matched++
    i--
    j--
  }
  return last.kind === 'key' && matched === 0 ? 0 : matched
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a === 'object' || typeof b === 'object' || a === undefined || b === undefined) return a === b
  return String(a) === String(b)
}

export interface HelmSources {
  texts: SourceTexts
  /** the same files at the other revision (null where the chart did not exist there) */
  other: SourceTexts | null
  /** the values files in the order Helm reads them: the chart's values.yaml, then `-f` files */
  values: readonly string[]
  chartFile: string
}

/**
 * Where a rendered object's field comes from in a chart: the values key that supplies it when the
 * pull request changed that key (the values file that wins, first); else the line of the template
 * that writes the field (or the `.Values` reference that fills it); else the template's first line.
 */
export function placeHelm(doc: RenderedDoc, steps: readonly PathStep[], sources: HelmSources): SourceLine {
  const resolved = resolveSteps(doc.object, steps)
  const matches: { file: string; leaf: ValuesLeaf; score: number; changed: boolean }[] = []
  if (resolved.complete) {
    for (const file of [...sources.values].reverse()) {
      const leaves = sources.texts.valuesLeaves(file)
      if (!leaves) continue
      const unchangedFile = sources.other?.blobId(file) !== undefined && sources.other.blobId(file) === sources.texts.blobId(file)
      const before = unchangedFile ? null : new Map((sources.other?.valuesLeaves(file) ?? []).map((l) => [JSON.stringify(l.path), l.value]))
      for (const leaf of leaves) {
        const score = suffixMatch(steps, leaf, resolved.value)
        if (score === 0) continue
        const key = JSON.stringify(leaf.path)
        const changed = before !== null && (!before.has(key) || !sameScalar(before.get(key), leaf.value))
        matches.push({ file, leaf, score, changed })
      }
    }
  }
  const byScore = (a: (typeof matches)[number], b: (typeof matches)[number]): number => b.score - a.score
  const changed = matches.filter((m) => m.changed).sort(byScore)[0]
  if (changed) return { file: changed.file, line: changed.leaf.line, endLine: changed.leaf.line }

  const template = doc.template
  const text = template ? sources.texts.text(template) : null
  if (template && text !== null) {
    const line =
      templateLine(text, steps, 'field') ??
      valuesReferenceLine(text, matches.sort(byScore)[0]?.leaf.path ?? null) ??
      templateLine(text, steps, 'ancestor') ??
      1
    return { file: template, line, endLine: line }
  }
  return { file: sources.chartFile, line: 1, endLine: 1 }
}

const KEY_LINE = /^(\s*)(?:-\s+)?["']?([A-Za-z0-9_.\/-]+)["']?\s*:(?:\s|$)/

/**
 * The template line that writes the field (`field`), found by its key and the keys of the lines it
 * is indented under; or (`ancestor`) the line of the deepest ancestor whose whole chain of keys
 * matches (the `securityContext:` that a `toYaml` fills).
 */
export function templateLine(text: string, steps: readonly PathStep[], what: 'field' | 'ancestor'): number | null {
  const lines = text.split('\n')
  const keys = keysOf(steps)
  for (let depth = what === 'field' ? keys.length : keys.length - 1; depth >= 1; depth--) {
    const key = keys[depth - 1] as string
    const ancestors = keys.slice(0, depth - 1)
    let best: { line: number; score: number } | null = null
    lines.forEach((text, index) => {
      const match = KEY_LINE.exec(text)
      if (!match || match[2] !== key) return
      const score = ancestorScore(lines, index, ancestors)
      if (!best || score > best.score) best = { line: index + 1, score }
    })
    const found = best as { line: number; score: number } | null
    if (found && (what === 'field' || found.score === ancestors.length)) return found.line
    if (what === 'field') return null
  }
  return null
}

function keyIndent(line: string): number {
  const match = /^(\s*)(-\s+)?/.exec(line)
  return (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0)
}

/**
 * How many of the ancestor keys (nearest first) appear, in order, on the lines the key is indented
 * under. A list item's dash line leads to the key that holds the list, even at the same indentation.
 */
function ancestorScore(lines: readonly string[], index: number, ancestors: readonly string[]): number {
  let wanted = ancestors.length - 1
  let score = 0
  const own = lines[index] as string
  const ownDash = /^(\s*)-\s/.exec(own)
  let current = ownDash ? (ownDash[1]?.length ?? 0) + 1 : keyIndent(own)
  for (let i = index - 1; i >= 0 && wanted >= 0 && current > 0; i--) {
    const line = lines[i] as string
    if (/^\s*(#|$)/.test(line) || /^\s*\{\{.*\}\}\s*$/.test(line)) continue
    const dash = /^(\s*)-\s/.exec(line)
    const level = dash ? (dash[1]?.length ?? 0) : (/^\s*/.exec(line)?.[0].length ?? 0)
    if (level >= current) continue
    current = dash ? level + 1 : level
    const match = KEY_LINE.exec(line)
    if (!match) continue
    const at = ancestors.lastIndexOf(match[2] as string, wanted)
    if (at >= 0) {
      score++
      wanted = at - 1
    }
  }
  return score
}

/** The first template line that reads the values key (or its nearest parent) the field's value matches. */
function valuesReferenceLine(text: string, path: readonly (string | number)[] | null): number | null {
  if (!path) return null
  const keys = path.filter((p): p is string => typeof p === 'string')
  const lines = text.split('\n')
  for (let n = keys.length; n >= 1; n--) {
    const reference = `.Values.${keys.slice(0, n).join('.')}`
    const index = lines.findIndex((line) => {
      const at = line.indexOf(reference)
      return at >= 0 && !/[A-Za-z0-9_]/.test(line[at + reference.length] ?? '')
    })
    if (index >= 0) return index + 1
  }
  return null
}

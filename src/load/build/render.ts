import { availableParallelism } from 'node:os'
import type { EvaluatedObject } from '../../evaluate/evaluate.js'
import type { Finding, FindingStatus, InputError, Revision, SkippedFile } from '../../model.js'
import type { RevisionContents } from '../read-revisions.js'
import { blobIdOf, type FileContent, type FileEntry, type RevisionSource } from '../source.js'
import { chartDirs, chartPath, type HelmChartSetting, type HelmRelease, releasesOf, templateArgs } from './helm.js'
import { isKustomizationFile, kustomizationIn, KustomizeGraph, treeIndex, type TreeIndex, withBuildMetadata } from './kustomize.js'
import { materialize } from './materialize.js'
import { parseDisplayPath, type PathStep } from './object-path.js'
import { helmOutput, kustomizeOutput, type RenderedOutput } from './output.js'
import { dirOf, inDir, isUnder, shownDir } from './paths.js'
import { placeHelm, placeKustomize, type SourceLine, SourceTexts } from './place.js'
import { findHelm, findKustomize, runTool, type Tool } from './tools.js'

export interface RenderOptions {
  /** build Kustomize overlays and render Helm charts (off: they are not analysed, their patches are skipped) */
  enabled: boolean
  /** the time limit of one build or render */
  timeoutMs: number
}

export interface RenderInput {
  base: RevisionSource | null
  head: RevisionSource
  contents: RevisionContents
  scope: 'changed' | 'all'
  /** the configuration's include and exclude: overlays and charts outside them are not built */
  wanted: (path: string) => boolean
  /**
   * `helm.charts` of each revision's configuration: a revision renders as its own settings say,
   * so a pull request that moves a chart and its settings together compares like for like
   */
  helm: { base: readonly HelmChartSetting[]; head: readonly HelmChartSetting[] }
  /** where `helm.charts` is written, for the error about an entry with no chart */
  configFile?: string | null
  options: RenderOptions
  /** the tools to run; found on PATH (or `$KUBE_RATCHET_KUSTOMIZE`, `$KUBE_RATCHET_HELM`) when left out */
  tools?: { kustomize?: Tool | null; helm?: Tool | null }
}

/** One revision's input to evaluation once overlays and charts are rendered. */
export interface RenderedRevision {
  /** the manifest files to evaluate as they are: the files read, less those a render consumed */
  plain: FileContent[]
  /**
   * What each overlay or chart rendered, as one YAML file named after the kustomization (or the
   * chart's `Chart.yaml`): rendered objects pair with each other, overlay by overlay.
   */
  outputs: FileContent[]
  /** files read but taken out of `plain` because a render reads them (patches, base resources) */
  consumed: number
  errors: InputError[]
  skipped: SkippedFile[]
}

export interface Rendering {
  base: RenderedRevision
  head: RenderedRevision
  /**
   * Moves a finding on a rendered object to the source line that holds the offending field and
   * names the overlay or chart in its message; rendered findings get no patch (the edit belongs
   * in the source). Other findings pass unchanged. Identity and fingerprint are never touched.
   */
  place<F extends Finding & { status?: FindingStatus }>(finding: F): F
  /** Moves the suppressions read from rendered objects to their source lines likewise. */
  adopt(revision: Revision, objects: readonly EvaluatedObject[]): EvaluatedObject[]
  /** overlays and charts rendered, per revision */
  renders: { base: number; head: number }
}

type Unit =
  | { id: string; tool: 'kustomize'; dir: string; label: string; errorFile: string; inputs: string[] }
  | { id: string; tool: 'helm'; dir: string; label: string; errorFile: string; inputs: string[]; release: HelmRelease }

type Outcome = { ok: true; output: RenderedOutput } | { ok: false; message: string }

interface Side {
  revision: Revision
  source: RevisionSource | null
  contents: FileContent[]
  entries: Map<string, FileEntry>
  tree: TreeIndex
  graph: KustomizeGraph
  units: Map<string, Unit>
  /** every file read for rendering, by path */
  read: Map<string, FileContent>
  texts: SourceTexts
  outcomes: Map<string, Outcome>
  errors: InputError[]
}

/**
 * Builds the Kustomize overlays and renders the Helm charts that a change reaches, at both
 * revisions, from the revisions' blobs written to a temporary directory. Should not throw: a
 * failed build is an `errors` entry on its kustomization or chart.
 */
export async function renderRevisions(input: RenderInput): Promise<Rendering> {
  const base = await sideOf('base', input.base, input.contents.base, input.contents.entries?.base ?? null)
  const head = await sideOf('head', input.head, input.contents.head, input.contents.entries?.head ?? null)
  const sides = [base, head] as const

  if (!input.options.enabled) {
    return {
      base: withoutPartials(base, 'rendering is off'),
      head: withoutPartials(head, 'rendering is off'),
      place: (f) => f,
      adopt: (_, objects) => [...objects],
      renders: { base: 0, head: 0 },
    }
  }

  for (const side of sides) findUnits(side, input)
  const configuredMissing = input.helm.head.filter((s) => {
    const path = chartPath(s.path)
    return path === null || !head.tree.files.has(inDir(path, 'Chart.yaml'))
  })
  for (const s of configuredMissing) {
    head.errors.push({ revision: 'head', file: input.configFile ?? s.path, line: null, message: `helm.charts: there is no chart (Chart.yaml) at ${s.path}` })
  }

  // What to build: everything for a full read; in a pull request, what a changed file reaches.
  const build = { base: [] as Unit[], head: [] as Unit[] }
  if (input.scope === 'changed') await Promise.all(sides.map((side) => learnIds(side, [...side.units.values()].flatMap((u) => u.inputs))))
  for (const [side, other] of [[base, head], [head, base]] as const) {
    for (const unit of side.units.values()) {
      const counterpart = other.units.get(unit.id)
      if (input.scope === 'all' || !counterpart || signature(side, unit) !== signature(other, counterpart)) build[side.revision].push(unit)
    }
  }
  const tools = {
    kustomize: input.tools?.kustomize !== undefined ? input.tools.kustomize : findKustomize(),
    helm: input.tools?.helm !== undefined ? input.tools.helm : findHelm(),
  }
  await Promise.all(sides.map((side) => runBuilds(side, build[side.revision], tools, input.options.timeoutMs)))

  // A render that failed at one revision is left out at both: its objects are not news either way.
  // One that fails at both is reported at the head only.
  for (const [side, other] of [[base, head], [head, base]] as const) {
    for (const [id, outcome] of side.outcomes) {
      const unit = side.units.get(id) as Unit
      if (!outcome.ok && side.revision === 'base' && other.outcomes.get(id)?.ok === false) continue
      if (!outcome.ok) {
        const remote = unit.tool === 'kustomize' ? side.graph.remoteOf(unit.dir) : []
        const why = remote.length > 0 ? `remote resources are never fetched (${remote.join(', ')}); ` : ''
        side.errors.push({ revision: side.revision, file: unit.errorFile, line: null, message: `${unit.tool === 'helm' ? 'Helm' : 'Kustomize'} (${unit.label}): ${why}${outcome.message}` })
        continue
      }
      for (const problem of outcome.output.problems) {
        side.errors.push({ revision: side.revision, file: problem.file ?? unit.errorFile, line: null, message: `${unit.label}: ${problem.message}` })
      }
    }
    for (const [id, outcome] of other.outcomes) if (!outcome.ok && side.outcomes.get(id)?.ok) side.outcomes.delete(id)
  }

  // An overlay that exists at one revision only (a kustomization added around unchanged files): the
  // files it renders are read as plain manifests at the other revision, so its objects pair with
  // what was there before instead of all looking new.
  const owned = { base: ownedFiles(base), head: ownedFiles(head) }
  const extra = { base: [] as FileContent[], head: [] as FileContent[] }
  for (const [side, other] of [[base, head], [head, base]] as const) {
    const listed = new Set(other.contents.map((c) => c.path))
    const paths = [...side.outcomes.entries()]
      .filter(([id, outcome]) => outcome.ok && !other.units.has(id) && side.units.get(id)?.tool === 'kustomize')
      .flatMap(([id]) => side.graph.resourcesOf((side.units.get(id) as Unit).dir))
      .filter((p) => other.entries.has(p) && !listed.has(p) && !owned[other.revision].has(p))
    await readInto(other, paths)
    extra[other.revision].push(...new Set(paths.flatMap((p) => other.read.get(p) ?? [])))
  }

  const placer = new Placer(base, head)
  return {
    base: renderedRevision(base, owned.base, extra.base),
    head: renderedRevision(head, owned.head, extra.head),
    place: (finding) => placer.place(finding),
    adopt: (revision, objects) => placer.adopt(revision === 'base' ? base : head, objects),
    renders: { base: countOk(base), head: countOk(head) },
  }
}

async function sideOf(revision: Revision, source: RevisionSource | null, contents: FileContent[], listed: FileEntry[] | null): Promise<Side> {
  const entries = listed ?? (source ? await source.list() : [])
  const files = entries.filter((e) => e.kind === 'file')
  const tree = treeIndex(files.map((e) => e.path))
  const read = new Map(contents.map((c) => [c.path, c]))
  const side: Side = {
    revision,
    source,
    contents,
    entries: new Map(files.map((e) => [e.path, e])),
    tree,
    graph: new KustomizeGraph(tree, new Map()),
    units: new Map(),
    read,
    texts: new SourceTexts(read),
    outcomes: new Map(),
    errors: [],
  }
  const kustomizations = files.filter((e) => isKustomizationFile(e.path) && kustomizationIn(dirOf(e.path), tree) === e.path).map((e) => e.path)
  await readInto(side, kustomizations)
  side.graph = new KustomizeGraph(tree, new Map(kustomizations.flatMap((p) => (side.read.has(p) ? [[p, (side.read.get(p) as FileContent).bytes]] : []))))
  return side
}

/** Reads files of the revision not read yet. */
async function readInto(side: Side, paths: readonly string[]): Promise<void> {
  if (!side.source) return
  const wanted = [...new Set(paths)].filter((p) => !side.read.has(p)).flatMap((p) => side.entries.get(p) ?? [])
  if (wanted.length === 0) return
  for (const content of await side.source.read(wanted)) side.read.set(content.path, content)
}

/** Reads the files whose blob ids the listing did not give (directories, edited work-tree files), to compare them. */
async function learnIds(side: Side, paths: readonly string[]): Promise<void> {
  await readInto(
    side,
    paths.filter((p) => side.entries.get(p)?.blobId === null),
  )
}

function blobOf(side: Side, path: string): string {
  return side.read.get(path)?.blobId ?? side.entries.get(path)?.blobId ?? '?'
}

function signature(side: Side, unit: Unit): string {
  return unit.inputs.map((p) => `${p}\0${blobOf(side, p)}`).join('\n')
}

function findUnits(side: Side, input: RenderInput): void {
  for (const root of side.graph.roots()) {
    if (!input.wanted(inDir(root.dir, 'kustomization.yaml')) && !input.wanted(root.file)) continue
    side.units.set(root.file, { id: root.file, tool: 'kustomize', dir: root.dir, label: shownDir(root.dir), errorFile: root.file, inputs: side.graph.inputs(root.dir) })
  }
  for (const dir of chartDirs(side.tree)) {
    const chartFile = inDir(dir, 'Chart.yaml')
    if (!input.wanted(chartFile)) continue
    const { releases, problems } = releasesOf(dir, input.helm[side.revision])
    // a mistake in the settings is the configuration's, reported once
    if (side.revision === 'head') for (const message of problems) side.errors.push({ revision: 'head', file: input.configFile ?? chartFile, line: null, message: `helm.charts: ${message}` })
    const chartInputs = [...side.tree.files].filter((f) => isUnder(f, dir))
    for (const release of releases) {
      const id = releases.length === 1 ? chartFile : `${chartFile}${release.details || ` (${release.releaseName})`}`
      const inputs = [...new Set([...chartInputs, ...release.values])].sort()
      side.units.set(id, { id, tool: 'helm', dir, label: release.label, errorFile: chartFile, inputs, release })
    }
  }
}

/** Writes what the builds read into a temporary directory, runs them a few at a time, and removes it. */
async function runBuilds(side: Side, units: readonly Unit[], tools: { kustomize: Tool | null; helm: Tool | null }, timeoutMs: number): Promise<void> {
  if (units.length === 0) return
  const runnable = units.filter((unit) => {
    const tool = unit.tool === 'helm' ? tools.helm : tools.kustomize
    if (!tool) {
      side.outcomes.set(unit.id, {
        ok: false,
        message:
          unit.tool === 'helm'
            ? 'helm was not found (PATH or $KUBE_RATCHET_HELM): the chart was not rendered'
            : 'neither kustomize nor kubectl was found (PATH or $KUBE_RATCHET_KUSTOMIZE): the overlay was not built',
      })
    }
    return tool !== null
  })
  if (runnable.length === 0) return
  const needed = [...new Set(runnable.flatMap((u) => u.inputs))]
  await readInto(side, needed)
  const files = needed.flatMap((p) => side.read.get(p) ?? [])
  let tree
  try {
    tree = await materialize(files, (f) => (isKustomizationFile(f.path) ? Buffer.from(withBuildMetadata(f.bytes.toString('utf8'))) : f.bytes))
  } catch (error) {
    for (const unit of runnable) side.outcomes.set(unit.id, { ok: false, message: `could not write the files to build: ${error instanceof Error ? error.message : String(error)}` })
    return
  }
  const materialized = tree
  try {
    const queue = [...runnable]
    const worker = async (): Promise<void> => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) side.outcomes.set(unit.id, await buildOne(unit, tools, materialized.root, materialized.home, timeoutMs))
    }
    await Promise.all(Array.from({ length: Math.min(queue.length, Math.max(2, availableParallelism())) }, worker))
  } finally {
    await materialized.remove()
  }
}

async function buildOne(unit: Unit, tools: { kustomize: Tool | null; helm: Tool | null }, root: string, home: string, timeoutMs: number): Promise<Outcome> {
  if (unit.tool === 'kustomize') {
    const result = await runTool(tools.kustomize as Tool, [unit.dir === '' ? '.' : unit.dir], { cwd: root, home, timeoutMs })
    return result.ok ? { ok: true, output: kustomizeOutput(result.stdout, unit.dir) } : { ok: false, message: result.message }
  }
  const result = await runTool(tools.helm as Tool, templateArgs(unit.release), { cwd: root, home, timeoutMs })
  return result.ok ? { ok: true, output: helmOutput(result.stdout, unit.dir, unit.release.namespace) } : { ok: false, message: result.message }
}

function countOk(side: Side): number {
  return [...side.outcomes.values()].filter((o) => o.ok).length
}

/** Partial files (patches, generator inputs) are never manifests of their own. */
function withoutPartials(side: Side, why: string): RenderedRevision {
  const partial = side.graph.partialFiles()
  const skipped: SkippedFile[] = []
  const plain = side.contents.filter((c) => {
    if (!partial.has(c.path)) return true
    skipped.push({ revision: side.revision, file: c.path, reason: `Kustomize patch or generator input: not a whole object; read only in a built overlay (${why})` })
    return false
  })
  return { plain, outputs: [], consumed: 0, errors: side.errors, skipped }
}

/** The plain resource files the successful Kustomize builds of a revision render. */
function ownedFiles(side: Side): Set<string> {
  const owned = new Set<string>()
  for (const [id, outcome] of side.outcomes) {
    const unit = side.units.get(id) as Unit
    if (outcome.ok && unit.tool === 'kustomize') for (const f of side.graph.resourcesOf(unit.dir)) owned.add(f)
  }
  return owned
}

function renderedRevision(side: Side, owned: ReadonlySet<string>, extra: readonly FileContent[]): RenderedRevision {
  const partial = side.graph.partialFiles()
  const rendered = new Set<string>()
  const outputs: FileContent[] = []
  for (const [id, outcome] of side.outcomes) {
    if (!outcome.ok) continue
    const unit = side.units.get(id) as Unit
    if (unit.tool === 'kustomize') for (const f of unit.inputs) rendered.add(f)
    // a render with no object (a chart whose templates are all switched off) is no file to evaluate
    if (outcome.output.docs.length === 0) continue
    const bytes = Buffer.from(outcome.output.text)
    outputs.push({ path: id, blobId: blobIdOf(bytes), bytes })
  }
  const skipped: SkippedFile[] = []
  let consumed = 0
  const plain = side.contents.filter((c) => {
    if (owned.has(c.path)) {
      consumed++
      return false
    }
    if (!partial.has(c.path)) return true
    if (rendered.has(c.path)) consumed++
    else skipped.push({ revision: side.revision, file: c.path, reason: 'Kustomize patch or generator input: not a whole object, and no overlay that reads it was built' })
    return false
  })
  return { plain: [...plain, ...extra], outputs, consumed, errors: side.errors, skipped }
}

/** Finds the rendered object behind a finding and the source line behind the field. */
class Placer {
  constructor(
    private readonly base: Side,
    private readonly head: Side,
  ) {}

  place<F extends Finding & { status?: FindingStatus }>(finding: F): F {
    const order = finding.status === 'fixed' ? [this.base, this.head] : [this.head, this.base]
    for (const side of order) {
      const found = this.docOf(side, finding.file, finding.documentIndex, finding.identity)
      if (!found) continue
      const where = this.locate(side, found.unit, found.doc, parseDisplayPath(finding.path))
      return {
        ...finding,
        file: where.file,
        line: where.line,
        endLine: where.endLine,
        message: `${finding.message} (rendered by ${found.unit.tool === 'helm' ? 'Helm' : 'Kustomize'} from ${found.unit.label})`,
        proposedFix: null,
      }
    }
    return finding
  }

  adopt(side: Side, objects: readonly EvaluatedObject[]): EvaluatedObject[] {
    return objects.map((object) => {
      const found = this.docOf(side, object.resource.file, object.resource.documentIndex, object.resource.identity)
      if (!found || object.suppressions.length === 0) return object
      return {
        ...object,
        suppressions: object.suppressions.map((s) => {
          const steps: PathStep[] = s.path.map((p) => (typeof p === 'string' ? { kind: 'key', key: p } : { kind: 'value', value: String(typeof p === 'number' ? p : p.index) }))
          const where = this.locate(side, found.unit, found.doc, steps)
          return { ...s, file: where.file, line: where.line }
        }),
      }
    })
  }

  private docOf(side: Side, file: string, documentIndex: number, identity: Finding['identity']) {
    const outcome = side.outcomes.get(file)
    const unit = side.units.get(file)
    if (!outcome?.ok || !unit) return null
    const doc = outcome.output.docs[documentIndex]
    if (!doc) return null
    const metadata = doc.object.metadata
    const name = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata.name : undefined
    if (doc.object.kind !== identity.kind || (typeof name === 'string' && name !== identity.name)) return null
    return { unit, doc }
  }

  private locate(side: Side, unit: Unit, doc: RenderedOutput['docs'][number], steps: PathStep[]): SourceLine {
    if (unit.tool === 'kustomize') return placeKustomize(doc, steps, side.texts, side.graph, unit.errorFile)
    const other = side === this.base ? this.head : this.base
    const counterpart = other.units.get(unit.id)
    return placeHelm(doc, steps, {
      texts: side.texts,
      other: counterpart ? other.texts : null,
      values: [inDir(unit.dir, 'values.yaml'), ...unit.release.values],
      chartFile: unit.errorFile,
    })
  }
}

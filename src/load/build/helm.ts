import { baseOf, dirOf, inDir, isUnder, joinRepo, shownDir } from './paths.js'
import type { TreeIndex } from './kustomize.js'

/** One chart as the configuration describes it (`helm.charts[]`). */
export interface HelmChartSetting {
  /** the chart's directory, relative to the repository's root */
  path: string
  /** values files relative to the chart's directory, after the chart's own values.yaml, in order */
  values: string[]
  namespace: string | null
  releaseName: string | null
}

/** One `helm template` run: a chart with one set of values. */
export interface HelmRelease {
  chartDir: string
  chartFile: string
  releaseName: string
  namespace: string | null
  /** the `-f` files, as repository paths */
  values: string[]
  /** what tells it from the chart's other releases: ` with values-prod.yaml in namespace prod` ('' for none) */
  details: string
  /** how findings and errors name it: `charts/web`, `charts/web with values-prod.yaml in namespace prod` */
  label: string
}

/**
 * The charts of a revision: every directory with a `Chart.yaml`, except the subcharts vendored in
 * another chart's `charts/` folder (they render as part of their parent).
 */
export function chartDirs(tree: TreeIndex): string[] {
  const dirs = [...tree.files].filter((f) => baseOf(f) === 'Chart.yaml').map(dirOf)
  const all = new Set(dirs)
  return dirs
    .filter((dir) => {
      for (let parent = dirOf(dir); ; parent = dirOf(parent)) {
        if (all.has(parent) && isUnder(dir, inDir(parent, 'charts'))) return false
        if (parent === '') return true
      }
    })
    .sort()
}

/** The configured path of a chart, normalised like listing paths (`./charts/web/` → `charts/web`). */
export function chartPath(path: string): string | null {
  return joinRepo('', path.trim())
}

/**
 * The releases to render for a chart: one per configured entry, else one with the chart's own
 * values.yaml, named after the chart's directory, in no particular namespace.
 */
export function releasesOf(chartDir: string, settings: readonly HelmChartSetting[]): { releases: HelmRelease[]; problems: string[] } {
  const entries = settings.filter((s) => chartPath(s.path) === chartDir)
  const problems: string[] = []
  const chartFile = inDir(chartDir, 'Chart.yaml')
  const defaults: HelmChartSetting = { path: chartDir, values: [], namespace: null, releaseName: null }
  const releases = (entries.length > 0 ? entries : [defaults]).map((entry) => {
    const values = entry.values.flatMap((v) => {
      const path = joinRepo(chartDir, v)
      if (path === null) problems.push(`values file ${v} is outside the repository`)
      return path === null ? [] : [path]
    })
    const shownValues = values.map((v) => (chartDir !== '' && isUnder(v, chartDir) ? v.slice(chartDir.length + 1) : v))
    const details = [
      shownValues.length > 0 ? ` with ${shownValues.join(', ')}` : '',
      entry.namespace ? ` in namespace ${entry.namespace}` : '',
      entry.releaseName ? ` as release ${entry.releaseName}` : '',
    ].join('')
    return {
      chartDir,
      chartFile,
      releaseName: entry.releaseName ?? releaseNameOf(chartDir),
      namespace: entry.namespace,
      values,
      details,
      label: `${shownDir(chartDir)}${details}`,
    }
  })
  return { releases, problems }
}

/** A release name Helm accepts (lowercase DNS label, at most 53 characters) from a directory name. */
export function releaseNameOf(chartDir: string): string {
  const name = baseOf(chartDir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53)
    .replace(/-+$/, '')
  return name === '' ? 'release' : name
}

/** `helm template` arguments for a release, paths relative to the materialised repository. */
export function templateArgs(release: HelmRelease): string[] {
  return [
    'template',
    release.releaseName,
    `./${release.chartDir}`,
    '--skip-tests',
    ...(release.namespace ? ['--namespace', release.namespace] : []),
    ...release.values.flatMap((v) => ['-f', `./${v}`]),
  ]
}

import type { FileEntry } from './source.js'

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json']

export interface ManifestSelection {
  /** regular files that may hold manifests */
  manifests: FileEntry[]
  /** manifest-named paths that are deliberately not read, with the reason */
  skipped: { entry: FileEntry; reason: string }[]
}

/**
 * Picks the files worth parsing from a revision's listing. Symlinks and submodules are never
 * followed; files inside a Helm chart's `templates/` are templates, not YAML, until rendered.
 */
export function selectManifests(entries: readonly FileEntry[], wanted: (path: string) => boolean = () => true): ManifestSelection {
  const chartDirs = new Set(
    entries.filter((e) => e.kind === 'file' && basename(e.path) === 'Chart.yaml').map((e) => dirname(e.path)),
  )
  const manifests: FileEntry[] = []
  const skipped: ManifestSelection['skipped'] = []
  for (const entry of entries) {
    if (!MANIFEST_EXTENSIONS.some((ext) => entry.path.toLowerCase().endsWith(ext)) || !wanted(entry.path)) continue
    if (entry.kind === 'symlink') skipped.push({ entry, reason: 'symbolic link: never followed' })
    else if (entry.kind === 'submodule') skipped.push({ entry, reason: 'git submodule: not read' })
    else if (entry.unreadable) skipped.push({ entry, reason: entry.unreadable })
    else if (insideChartTemplates(entry.path, chartDirs)) {
      skipped.push({ entry, reason: 'Helm chart template: not plain YAML until rendered' })
    } else manifests.push(entry)
  }
  return { manifests, skipped }
}

function insideChartTemplates(path: string, chartDirs: ReadonlySet<string>): boolean {
  const parts = path.split('/')
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === 'templates' && chartDirs.has(parts.slice(0, i).join('/'))) return true
  }
  return false
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

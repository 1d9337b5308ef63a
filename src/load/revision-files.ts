import { parseManifestFile, type ParsedYaml } from './parse.js'
import type { FileContent } from './source.js'

/** How many parsed files to keep at once: findings that need positions come in file order. */
const PARSED_CACHE_SIZE = 8

/**
 * The files read at one revision, kept as bytes so that a file can be parsed again on demand
 * (to place a finding found after its file was evaluated, or to build a fix) without holding
 * every parsed document of the revision in memory.
 */
export class RevisionFiles {
  private readonly byPath = new Map<string, FileContent>()
  private readonly parsedCache = new Map<string, ParsedYaml>()

  constructor(contents: Iterable<FileContent>) {
    for (const content of contents) this.byPath.set(content.path, content)
  }

  get(path: string): FileContent | undefined {
    return this.byPath.get(path)
  }

  /** The parsed file, or undefined when it was not read or is not YAML. */
  parsed(path: string): ParsedYaml | undefined {
    const cached = this.parsedCache.get(path)
    if (cached) return cached
    const content = this.byPath.get(path)
    if (!content) return undefined
    const outcome = parseManifestFile(path, content.bytes)
    if (outcome.kind !== 'parsed') return undefined
    if (this.parsedCache.size >= PARSED_CACHE_SIZE) {
      const oldest = this.parsedCache.keys().next().value
      if (oldest !== undefined) this.parsedCache.delete(oldest)
    }
    this.parsedCache.set(path, outcome.yaml)
    return outcome.yaml
  }
}

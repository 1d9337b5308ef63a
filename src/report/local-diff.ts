import { createTwoFilesPatch } from 'diff'
import type { FileContent, RevisionSource } from '../load/source.js'
import type { Report } from '../model.js'
import { CommentableDiff } from '../render/commentable.js'
import { renderMarkdown } from '../render/markdown.js'
import { markdownContext } from '../render/markdown/context.js'

/**
 * The commentable lines GitHub would offer for the files with new findings, computed locally
 * from the two revisions (a unified diff with 3 lines of context, as `GET /pulls/{n}/files`
 * has). Without a base (a scan) every line is new, as in a pull request that adds the files.
 */
export async function localCommentableDiff(report: Report, base: RevisionSource | null, head: RevisionSource): Promise<CommentableDiff> {
  const files = new Set(report.findings.filter((f) => f.status === 'new').map((f) => f.file))
  if (files.size === 0) return CommentableDiff.fromPatches(new Map())
  const [headFiles, baseFiles] = await Promise.all([readSome(head, files), base ? readSome(base, files) : new Map<string, FileContent>()])
  const patches = new Map<string, string>()
  for (const file of files) {
    const after = headFiles.get(file)
    if (!after) continue
    const before = baseFiles.get(file)?.bytes.toString('utf8') ?? ''
    patches.set(file, createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after.bytes.toString('utf8'), undefined, undefined, { context: 3 }))
  }
  return CommentableDiff.fromPatches(patches)
}

async function readSome(source: RevisionSource, paths: ReadonlySet<string>): Promise<Map<string, FileContent>> {
  const entries = (await source.list()).filter((e) => paths.has(e.path))
  return new Map((await source.read(entries)).map((c) => [c.path, c]))
}

/**
 * `kube-ratchet diff --format markdown`: the check run's summary and the review the action would
 * post, rendered by the same functions. Locations are not links: there is no repository to link to.
 */
export async function markdownReport(report: Report, base: RevisionSource | null, head: RevisionSource): Promise<string> {
  return renderMarkdown(report, await localCommentableDiff(report, base, head), markdownContext())
}

/**
 * Where GitHub accepts a review comment: on the RIGHT side of a pull request's diff, a line that
 * a hunk shows (added or context), and for a multi-line comment every line of the range inside
 * the same hunk. GitHub rejects the whole review (422) for one comment that breaks this rule, so
 * every anchor is checked here before anything is posted.
 */

/** One hunk's RIGHT-side lines, 1-based: the commentable ones (added and context) in order. */
export interface Hunk {
  /** first RIGHT-side line the hunk header names */
  start: number
  /** lines on the RIGHT side the hunk covers (start .. start + count - 1) */
  count: number
  /** added and context lines; a hunk that only removes lines has none */
  lines: readonly number[]
}

/** A changed file as `GET /pulls/{n}/files` describes it. */
export interface PullFile {
  filename: string
  status?: string
  /** absent for binary files, files over GitHub's diff size limit and renames without changes */
  patch?: string | null
  previous_filename?: string
}

/** The hunks of one unified-diff patch (with or without `---`/`+++` headers). Never throws. */
export function parsePatch(patch: string): Hunk[] {
  const hunks: Hunk[] = []
  const lines = patch.split('\n')
  let i = 0
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i] ?? '')
    i++
    if (!header) continue
    let oldLeft = header[2] === undefined ? 1 : Number(header[2])
    let newLeft = header[4] === undefined ? 1 : Number(header[4])
    const start = Number(header[3])
    const hunk: Hunk & { lines: number[] } = { start, count: newLeft, lines: [] }
    let right = start
    // The counts, not the look of a line, end the hunk: a removed line may read "--- x".
    while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
      const line = lines[i] ?? ''
      const marker = line[0]
      if (marker === '\\') {
        i++ // "\ No newline at end of file"
        continue
      }
      if (line.startsWith('@@ ')) break // a malformed hunk that claimed more lines than it has
      if (marker === '+') {
        if (newLeft === 0) break
        hunk.lines.push(right++)
        newLeft--
      } else if (marker === '-') {
        if (oldLeft === 0) break
        oldLeft--
      } else if (marker === ' ' || line === '' || line === '\r') {
        // context; some tools strip the space of an empty context line
        if (newLeft === 0 || oldLeft === 0) break
        hunk.lines.push(right++)
        oldLeft--
        newLeft--
      } else break
      i++
    }
    hunks.push(hunk)
  }
  return hunks
}

/** The commentable lines of a pull request, by RIGHT-side file name. */
export class CommentableDiff {
  private readonly files = new Map<string, Hunk[]>()

  /** Files without a patch (binary, too large, deleted) have no commentable line. */
  static fromPullFiles(files: readonly PullFile[]): CommentableDiff {
    const diff = new CommentableDiff()
    for (const file of files) {
      if (file.status === 'removed') continue
      diff.files.set(file.filename, typeof file.patch === 'string' ? parsePatch(file.patch) : [])
    }
    return diff
  }

  /** A diff built from patches keyed by file name (the CLI computes them locally). */
  static fromPatches(patches: ReadonlyMap<string, string>): CommentableDiff {
    const diff = new CommentableDiff()
    for (const [file, patch] of patches) diff.files.set(file, parsePatch(patch))
    return diff
  }

  /** Whether the file is part of the pull request at all. */
  hasFile(file: string): boolean {
    return this.files.has(file)
  }

  /** The index of the hunk that shows `line` on the RIGHT side, or null. */
  hunkOf(file: string, line: number): number | null {
    const hunks = this.files.get(file)
    if (!hunks) return null
    const index = hunks.findIndex((h) => h.lines.includes(line))
    return index < 0 ? null : index
  }

  isCommentable(file: string, line: number): boolean {
    return this.hunkOf(file, line) !== null
  }

  /** Every line of start..end is commentable, in one hunk: a valid multi-line comment range. */
  inOneHunk(file: string, start: number, end: number): boolean {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) return false
    const hunk = this.hunkOf(file, start)
    if (hunk === null) return false
    const lines = this.files.get(file)?.[hunk]?.lines ?? []
    for (let line = start; line <= end; line++) if (!lines.includes(line)) return false
    return true
  }

  /** File names with at least one commentable line. */
  commentableFiles(): string[] {
    return [...this.files].filter(([, hunks]) => hunks.some((h) => h.lines.length > 0)).map(([file]) => file)
  }
}

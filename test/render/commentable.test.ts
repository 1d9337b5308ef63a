import { describe, expect, it } from 'vitest'
import { CommentableDiff, parsePatch } from '../../src/render/commentable.js'

/** Right-side lines of each hunk. */
const rightLines = (patch: string): number[][] => parsePatch(patch).map((h) => [...h.lines])

describe('parsePatch', () => {
  it('numbers added and context lines on the right side, skipping removed ones', () => {
    const patch = ['@@ -3,5 +3,6 @@ metadata:', ' a', '-b', '+B', '+B2', ' c', ' d', ' e'].join('\n')
    expect(rightLines(patch)).toEqual([[3, 4, 5, 6, 7, 8]])
  })

  it('keeps hunks apart', () => {
    const patch = ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -20,3 +20,4 @@ spec:', ' x', '+y', ' z', ' w'].join('\n')
    const hunks = parsePatch(patch)
    expect(hunks.map((h) => [...h.lines])).toEqual([
      [1, 2, 3],
      [20, 21, 22, 23],
    ])
    expect(hunks.map((h) => [h.start, h.count])).toEqual([
      [1, 3],
      [20, 4],
    ])
  })

  it('reads counts left out of the header as 1', () => {
    expect(rightLines('@@ -1 +1 @@\n-a\n+b')).toEqual([[1]])
    expect(rightLines('@@ -5 +5,2 @@\n x\n+y')).toEqual([[5, 6]])
  })

  it('skips "\\ No newline at end of file" markers', () => {
    const patch = ['@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+b', '\\ No newline at end of file'].join('\n')
    expect(rightLines(patch)).toEqual([[1, 2]])
  })

  it('gives a new file every line and a deleted file none', () => {
    expect(rightLines('@@ -0,0 +1,3 @@\n+a\n+b\n+c')).toEqual([[1, 2, 3]])
    expect(rightLines('@@ -1,3 +0,0 @@\n-a\n-b\n-c')).toEqual([[]])
  })

  it('ends a hunk by its counts, not by what a line looks like', () => {
    // a removed line that reads "-- x" shows as "--- x"; a context line reading "@@" stays context
    const patch = ['@@ -1,3 +1,2 @@', '--- x', ' @@ not a header', ' b'].join('\n')
    expect(rightLines(patch)).toEqual([[1, 2]])
  })

  it('takes an empty line inside a hunk as an empty context line', () => {
    expect(rightLines('@@ -1,3 +1,3 @@\n a\n\n c')).toEqual([[1, 2, 3]])
  })

  it('ignores file headers and trailing newlines (a full unified diff)', () => {
    const patch = ['--- a/x.yaml', '+++ b/x.yaml', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', ''].join('\n')
    expect(rightLines(patch)).toEqual([[1, 2]])
  })

  it('keeps carriage returns out of the way', () => {
    expect(rightLines('@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n')).toEqual([[1, 2]])
  })

  it('stops at a hunk that claims more lines than it has', () => {
    const patch = ['@@ -1,5 +1,5 @@', ' a', '+b', '@@ -10,1 +10,1 @@', ' z'].join('\n')
    expect(rightLines(patch)).toEqual([[1, 2], [10]])
  })

  it('returns nothing for an empty or headerless patch', () => {
    expect(parsePatch('')).toEqual([])
    expect(parsePatch('Binary files differ')).toEqual([])
  })
})

describe('CommentableDiff', () => {
  const diff = CommentableDiff.fromPullFiles([
    { filename: 'app.yaml', status: 'modified', patch: '@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n@@ -20,3 +21,3 @@\n x\n-y\n+Y\n z' },
    { filename: 'new.yaml', status: 'added', patch: '@@ -0,0 +1,2 @@\n+a\n+b' },
    { filename: 'gone.yaml', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-a\n-b' },
    { filename: 'moved.yaml', status: 'renamed', previous_filename: 'old.yaml' },
    { filename: 'renamed-edited.yaml', status: 'renamed', previous_filename: 'before.yaml', patch: '@@ -4,2 +4,2 @@\n-a\n+A\n b' },
    { filename: 'huge.yaml', status: 'modified' },
    { filename: 'null.yaml', status: 'modified', patch: null },
  ])

  it('answers line by line on the right side', () => {
    expect([1, 2, 3, 4, 5, 20, 21, 22, 23, 24].filter((l) => diff.isCommentable('app.yaml', l))).toEqual([1, 2, 3, 4, 21, 22, 23])
    expect(diff.hunkOf('app.yaml', 2)).toBe(0)
    expect(diff.hunkOf('app.yaml', 22)).toBe(1)
    expect(diff.hunkOf('app.yaml', 10)).toBeNull()
  })

  it('accepts a range only inside one hunk', () => {
    expect(diff.inOneHunk('app.yaml', 1, 4)).toBe(true)
    expect(diff.inOneHunk('app.yaml', 21, 23)).toBe(true)
    expect(diff.inOneHunk('app.yaml', 3, 22)).toBe(false) // spans two hunks
    expect(diff.inOneHunk('app.yaml', 4, 5)).toBe(false) // runs out of the hunk
    expect(diff.inOneHunk('app.yaml', 0, 1)).toBe(false)
    expect(diff.inOneHunk('app.yaml', 3, 2)).toBe(false) // end before start
    expect(diff.inOneHunk('app.yaml', 2, 2)).toBe(true)
  })

  it('has every line of an added file', () => {
    expect(diff.inOneHunk('new.yaml', 1, 2)).toBe(true)
  })

  it('has nothing in deleted files, renames without changes and files without a patch', () => {
    expect(diff.hasFile('gone.yaml')).toBe(false)
    expect(diff.isCommentable('gone.yaml', 1)).toBe(false)
    for (const file of ['moved.yaml', 'huge.yaml', 'null.yaml']) {
      expect(diff.hasFile(file)).toBe(true)
      expect(diff.isCommentable(file, 1)).toBe(false)
    }
    expect(diff.commentableFiles().sort()).toEqual(['app.yaml', 'new.yaml', 'renamed-edited.yaml'])
  })

  it('places a renamed file by its new name', () => {
    expect(diff.inOneHunk('renamed-edited.yaml', 4, 5)).toBe(true)
    expect(diff.isCommentable('before.yaml', 4)).toBe(false)
  })

  it('knows nothing of files outside the pull request', () => {
    expect(diff.hasFile('elsewhere.yaml')).toBe(false)
    expect(diff.inOneHunk('elsewhere.yaml', 1, 1)).toBe(false)
  })

  it('builds from locally computed patches', () => {
    const local = CommentableDiff.fromPatches(new Map([['a.yaml', '--- a/a.yaml\n+++ b/a.yaml\n@@ -1,1 +1,2 @@\n x\n+y\n']]))
    expect(local.inOneHunk('a.yaml', 1, 2)).toBe(true)
  })
})

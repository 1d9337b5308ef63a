import { GITHUB_TEXT_LIMIT } from './context.js'

/**
 * Keeps Markdown under `limit` characters (UTF-16 units, as GitHub counts them), cutting at a
 * line boundary, closing a code fence left open, and ending with a note that says what was
 * left out. Text already short enough comes back unchanged.
 */
export function truncateMarkdown(text: string, note: string, limit = GITHUB_TEXT_LIMIT): string {
  if (text.length <= limit) return text
  const tail = (omitted: number): string => `\n\n> [!NOTE]\n> Truncated: ${omitted} more lines are not shown (GitHub allows ${limit.toLocaleString('en-US')} characters). ${note}\n`
  const lines = text.split('\n')
  // Reserve room for the note and a closing fence, then take whole lines.
  const reserve = tail(lines.length).length + 64
  let kept = 0
  let size = 0
  let openFence: string | null = null
  let fenceAtCut: string | null = null
  for (const line of lines) {
    if (size + line.length + 1 > limit - reserve) break
    size += line.length + 1
    kept++
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker) {
      if (openFence === null) openFence = marker
      else if (marker[0] === openFence[0] && marker.length >= openFence.length && line.trim() === marker) openFence = null
    }
    fenceAtCut = openFence
  }
  const head = lines.slice(0, kept).join('\n')
  const close = fenceAtCut ? `\n${fenceAtCut}` : ''
  return `${head}${close}${tail(lines.length - kept)}`
}

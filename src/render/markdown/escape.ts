/**
 * Untrusted text (file, object and container names, messages, anything a pull request author
 * controls) made inert in GitHub-flavoured Markdown: no @mentions or team pings, no HTML, no
 * links, images, emphasis, math or tables broken, no fence closed early, one line only.
 */

/** U+2060 WORD JOINER: invisible, and not a character of a user name, an issue number or a URL. */
const JOINER = '\u2060'

/** Control characters become a visible `?`; any line break becomes a space. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '?')
}

/** `@name`, `#123`, `GH-123`, `https://`, `www.`: GitHub would turn these into pings and links. */
function breakAutolinks(text: string): string {
  return text
    .replace(/@/g, `@${JOINER}`)
    .replace(/#(?=\d)/g, `#${JOINER}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${JOINER}`)
    .replace(/:\/\//g, `:${JOINER}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${JOINER}.`)
}

/**
 * Plain text inside a Markdown line or a table cell: every character that could start Markdown
 * or HTML syntax is escaped. Renders as the original text, minus line breaks.
 */
export function escapeText(text: string): string {
  const escaped = breakAutolinks(oneLine(text))
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  // At the start of a line these open a heading, a list or a setext underline; the caller never
  // puts text there, but a table cell or a list item may still start with it.
  return escaped.replace(/^([#+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')
}

/** Text inside our own HTML (a `<summary>`), where Markdown escapes would show: entities only. */
export function escapeHtml(text: string): string {
  return breakAutolinks(oneLine(text)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  let longest = 0
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length)
  return longest
}

/**
 * Text as an inline code span: backticks longer than any run inside, padded when it starts or
 * ends with a backtick. Nothing inside a code span is a mention or HTML. In a table cell a `|`
 * still splits the row unless escaped, and GitHub removes that backslash again.
 */
export function code(text: string, options: { inTable?: boolean } = {}): string {
  let body = oneLine(text)
  if (options.inTable) body = body.replace(/\|/g, '\\|')
  if (body === '') return '` `'
  const ticks = '`'.repeat(longestBacktickRun(body) + 1)
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : ''
  return `${ticks}${pad}${body}${pad}${ticks}`
}

/**
 * A fenced code block whose fence is longer than any backtick run in `content`, so the content
 * cannot close it. `content` is kept exactly (a suggestion is applied character for character).
 */
export function fence(content: string, info = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1))
  const body = content === '' || content.endsWith('\n') ? content : `${content}\n`
  return `${ticks}${info}\n${body}${ticks}`
}

/** A Markdown link whose text is escaped; the URL must come from us (it is only percent-checked). */
export function link(text: string, url: string): string {
  return `[${text}](${url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`
}

/** A path as a URL path: each segment percent-encoded, slashes kept. */
export function urlPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/')
}

/** Something only our own code writes (ids, shas, fingerprints): anything else is dropped. */
export function token(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '')
}

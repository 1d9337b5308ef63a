/**
 * Well-known credential formats, each precise enough to stand on its own: a fixed prefix and a
 * fixed alphabet and length, bounded so that a longer token-like string does not match part-way.
 * No entropy guesses: a false positive here costs the reader's trust.
 */
export interface CredentialPattern {
  /** how messages name it */
  name: string
  /** must have the global flag: every match is tried against `reject` */
  pattern: RegExp
  /** a match that is documentation, not a credential */
  reject?: (match: string, text: string, end: number) => boolean
}

/** `(?<!…)`/`(?!…)` guards: the token must not continue a longer run of its own alphabet. */
const ALNUM_BEFORE = '(?<![A-Za-z0-9])'
const ALNUM_AFTER = '(?![A-Za-z0-9])'
const WORD_BEFORE = '(?<![A-Za-z0-9_])'
const WORD_AFTER = '(?![A-Za-z0-9_])'
const DASHED_BEFORE = '(?<![A-Za-z0-9_-])'
const DASHED_AFTER = '(?![A-Za-z0-9_-])'

const re = (source: string) => new RegExp(source, 'g')

export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  {
    name: 'AWS access key ID',
    pattern: re(`${ALNUM_BEFORE}(?:AKIA|ASIA)[A-Z0-9]{16}${ALNUM_AFTER}`),
    // AWS documentation's own example keys (AKIAIOSFODNN7EXAMPLE) fill tutorials and test manifests
    reject: (match) => match.endsWith('EXAMPLE'),
  },
  { name: 'GitHub token', pattern: re(`${WORD_BEFORE}gh[pousr]_[A-Za-z0-9]{36}${WORD_AFTER}`) },
  { name: 'GitHub fine-grained personal access token', pattern: re(`${WORD_BEFORE}github_pat_[A-Za-z0-9_]{82}${WORD_AFTER}`) },
  { name: 'GitLab personal access token', pattern: re(`${DASHED_BEFORE}glpat-[A-Za-z0-9_-]{20,}`) },
  { name: 'Slack token', pattern: re(`${ALNUM_BEFORE}xox[baprs]-[0-9]{10,13}-[A-Za-z0-9-]{10,}`) },
  { name: 'Slack webhook URL', pattern: re('hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}') },
  {
    name: 'PEM private key',
    pattern: re('-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----'),
    // a real key follows its header with base64 (after optional `Proc-Type:` style headers); a
    // header followed by a placeholder, or a header quoted in prose, is not a key
    reject: (_match, text, end) => !/[A-Za-z0-9+/]{40}/.test(text.slice(end, end + 512)),
  },
  { name: 'Google API key', pattern: re(`${DASHED_BEFORE}AIza[0-9A-Za-z_-]{35}${DASHED_AFTER}`) },
  { name: 'Stripe live secret key', pattern: re(`${ALNUM_BEFORE}[sr]k_live_[0-9A-Za-z]{24,}`) },
  { name: 'npm access token', pattern: re(`${WORD_BEFORE}npm_[A-Za-z0-9]{36}${WORD_AFTER}`) },
  { name: 'PyPI API token', pattern: re(`${ALNUM_BEFORE}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}`) },
  { name: 'SendGrid API key', pattern: re(`${DASHED_BEFORE}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${DASHED_AFTER}`) },
  { name: 'Azure storage account key', pattern: re('AccountKey=[A-Za-z0-9+/]{86}==') },
]

/** Every pattern's fixed part: one scan that rules out almost every string before the precise ones run. */
const ANY_PREFIX = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|hooks\.slack\.com|PRIVATE KEY|AIza|[sr]k_live_|npm_|pypi-|SG\.|AccountKey=/

/** The shortest string any pattern matches (an AWS access key ID). */
const SHORTEST = 20

/** False for a text no pattern can match: almost every string, ruled out by one scan. */
export function mayHoldCredential(text: string): boolean {
  return text.length >= SHORTEST && ANY_PREFIX.test(text)
}

/** The names of the credential formats found in a string, in table order, each once. */
export function credentialsIn(text: string): string[] {
  if (!mayHoldCredential(text)) return []
  return CREDENTIAL_PATTERNS.filter(({ pattern, reject }) => {
    for (const match of text.matchAll(pattern)) {
      if (!reject || !reject(match[0], text, match.index + match[0].length)) return true
    }
    return false
  }).map((p) => p.name)
}

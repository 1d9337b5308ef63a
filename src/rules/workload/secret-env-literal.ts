import { asArray, asObject, asString } from '../../extract/json.js'
import { memoized } from '../../memo.js'
import { itemRef } from '../pss/pod-security.js'
import type { PodRule, Violation } from '../rule.js'

/**
 * Words that name a credential, matched against each word of the name; a word that ends in one
 * counts too (`PGPASSWORD`, `AUTHTOKEN`, `CLIENTSECRET`). `TOKENS` is not among them: `MAX_TOKENS`
 * is a language-model budget, not a credential.
 */
const CREDENTIAL_WORDS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
] as const

/** `<word>_KEY` names a key that is a credential (`API_KEY`, `AWS_SECRET_ACCESS_KEY`); a bare `KEY` (`CACHE_KEY`) does not. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set(['API', 'PRIVATE', 'ACCESS', 'SECRET', 'ENCRYPTION', 'SIGNING'])

/**
 * Words that name a credential only as the last word: `BASIC_AUTH`, `DB_PASS`, `MYSQL_PWD`, but
 * not `AUTH_MODE` or `PASS_THROUGH`. `PWD` alone is the shell's working directory.
 */
const TRAILING_CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['AUTH', 'AUTHORIZATION', 'PASS', 'PWD'])

/**
 * Last words that make the variable about a credential rather than the credential itself: where
 * it is (`TOKEN_PATH`, `PASSWORD_FILE`, `SECRET_ARN`, `TOKEN_URL`), what it is called
 * (`SECRET_NAME`), or a setting (`TOKEN_TTL`, `AUTH_ENABLED`). A URL may embed a password, but
 * the name does not say so; secret-pattern judges values.
 */
const METADATA_WORDS: ReadonlySet<string> = new Set([
  'FILE', 'FILES', 'FILENAME', 'PATH', 'DIR', 'DIRECTORY', 'LOCATION', 'MOUNT',
  'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'ARN', 'REF',
  'NAME', 'NAMESPACE', 'TYPE', 'KIND', 'MODE', 'PREFIX', 'HEADER', 'ALGORITHM', 'FORMAT',
  'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED',
  'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRATION', 'EXPIRES', 'LIFETIME', 'INTERVAL',
  'LENGTH', 'LEN', 'SIZE', 'LIMIT', 'COUNT',
  'ISSUER', 'AUDIENCE', 'PROVIDER', 'REGION', 'VERSION', 'POLICY',
])

/** First words that make the variable a bound or a count (`MAX_TOKEN`, `MIN_PASSWORD_LENGTH`). */
const BOUND_WORDS: ReadonlySet<string> = new Set(['MAX', 'MIN', 'NUM'])

/** Values that switch something on or off; no credential is spelled `true`. */
const SWITCH_VALUES: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '0', '1', 'enabled', 'disabled'])

/** Splits a name into upper-case words: at `_`, `-`, `.` and at case changes (`dbPassword`, `APIKey`). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toUpperCase())
}

/** Whether an environment variable's name says it holds a credential. Case-insensitive. */
export const isCredentialName = memoized((name: string): boolean => {
  const words = nameWords(name)
  const first = words[0]
  const last = words[words.length - 1]
  if (first === undefined || last === undefined) return false
  if (METADATA_WORDS.has(last) || BOUND_WORDS.has(first)) return false
  if (words.some((word) => CREDENTIAL_WORDS.some((credential) => word.endsWith(credential)))) return true
  if (words.some((word, i) => (word === 'KEY' || word === 'KEYS') && i > 0 && KEY_QUALIFIERS.has(words[i - 1] ?? ''))) return true
  return TRAILING_CREDENTIAL_WORDS.has(last) && !(last === 'PWD' && words.length === 1)
})

/**
 * Whether a literal value could be a credential. Not: empty, an on/off switch, a reference that
 * something else fills in (`$(OTHER_VAR)` expanded by the kubelet, `${VAR}` or `{{ … }}` by a
 * templating tool), or an absolute file path (`GOOGLE_APPLICATION_CREDENTIALS` names a key file).
 */
export function isLiteralCredential(value: string): boolean {
  const trimmed = value.trim()
  if (trimmed === '' || SWITCH_VALUES.has(trimmed.toLowerCase())) return false
  if (/\$\([A-Za-z_][\w.-]*\)|\$\{[^}]*\}|\{\{.*\}\}/.test(value)) return false
  return !/^(\/[\w.@+-]+)+\/?$/.test(trimmed)
}

/** The message names the variable and never its value. */
export const secretEnvLiteral: PodRule = {
  kind: 'pod',
  meta: {
    id: 'secret-env-literal',
    title: 'Credential in a literal environment variable',
    severity: 'high',
    description:
      'A credential written into the manifest is in the repository, its history and every clone, and in plain text in the object anyone allowed to read the workload can see.',
    remediation:
      'Move the value into a Secret and read it with `valueFrom.secretKeyRef` (or mount the Secret as a file), then rotate the credential: it stays in the repository history.',
    messages: {
      literal: 'Container "{{container}}" sets {{name}} to a literal value; a credential belongs in a Secret.',
    },
  },
  fieldsRead: ['container.env'],
  check: (pod) =>
    pod.containers.flatMap((container) =>
      asArray(container.spec.env).flatMap((item, index): Violation[] => {
        const variable = asObject(item)
        const name = asString(variable?.name)
        const value = asString(variable?.value)
        if (name === undefined || value === undefined) return []
        if (!isCredentialName(name) || !isLiteralCredential(value)) return []
        return [
          {
            messageId: 'literal',
            data: { container: container.name, name },
            path: [...container.path, 'env', itemRef(item, index, 'name'), 'value'],
            container: container.name,
          },
        ]
      }),
    ),
}

import { asObject, asString, childAt } from '../../extract/json.js'
import type { JsonValue, ObjectPath, PathSegment, Resource } from '../../model.js'
import type { ObjectRule, Violation } from '../rule.js'
import { credentialsIn, mayHoldCredential } from './credential-patterns.js'

/** Deeper than any real manifest; a guard, not a limit anyone should meet. */
const MAX_DEPTH = 64

/** Strict base64, as Secret `data` holds it (line breaks tolerated). */
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/

interface Hit {
  path: ObjectPath
  types: string[]
  decoded: boolean
}

/** A Secret's `data` values are base64: the credential is in the decoded text. */
function decodedSecretValue(resource: Resource, path: readonly PathSegment[], value: string): string | null {
  const { group, kind } = resource.identity
  if (group !== '' || kind !== 'Secret' || path.length !== 2 || path[0] !== 'data') return null
  if (!BASE64.test(value)) return null
  return Buffer.from(value, 'base64').toString('utf8')
}

/**
 * Walks every string under `value`; `path` is a stack shared by the walk (list items by index),
 * copied, with the items' names, only for a hit.
 */
function walk(resource: Resource, value: JsonValue | undefined, path: (string | number)[], hits: Hit[]): void {
  if (path.length > MAX_DEPTH || value === undefined || value === null) return
  if (typeof value === 'string') {
    const decoded = decodedSecretValue(resource, path, value)
    // the common case, without allocating: a string that is not, and does not decode to, a credential
    if (decoded === null && !mayHoldCredential(value)) return
    const types = new Set(credentialsIn(value))
    const decodedTypes = decoded === null ? [] : credentialsIn(decoded).filter((t) => !types.has(t))
    for (const type of decodedTypes) types.add(type)
    if (types.size > 0) hits.push({ path: namedPath(resource.object, path), types: [...types], decoded: decodedTypes.length > 0 })
    return
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index)
      walk(resource, value[index], path, hits)
      path.pop()
    }
    return
  }
  if (typeof value === 'object') {
    for (const key in value) {
      path.push(key)
      walk(resource, value[key], path, hits)
      path.pop()
    }
  }
}

/**
 * A path with each list item named by its `name` where it has one; an item named by a
 * credential keeps its index instead: paths never carry a value.
 */
function namedPath(root: JsonValue, path: readonly (string | number)[]): ObjectPath {
  let current: JsonValue | undefined = root
  return path.map((segment): PathSegment => {
    current = childAt(current, segment)
    if (typeof segment === 'string') return segment
    const name = asString(asObject(current)?.name)
    return name !== undefined && credentialsIn(name).length === 0 ? { index: segment, key: 'name', value: name } : segment
  })
}

/**
 * `spec.containers[name=app].args[2]`, `data["app.ini"]`: the way reports show paths (the same
 * notation as the evaluator's, which rules do not import).
 */
function describePath(path: ObjectPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'string') out += /^[A-Za-z0-9_-]+$/.test(segment) ? (out === '' ? segment : `.${segment}`) : `[${JSON.stringify(segment)}]`
    else if (typeof segment === 'number') out += `[${segment}]`
    else out += segment.key === null ? `[${segment.value}]` : `[${segment.key}=${segment.value}]`
  }
  return out
}

function listed(types: readonly string[]): string {
  return types.length <= 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} and ${types[types.length - 1]}`
}

/**
 * Well-known credential formats in any string of any object: ConfigMap data, annotations, args,
 * env values, CRD fields, and the base64-decoded `data` of Secrets. One finding per string,
 * naming the formats and the field, never the value. List items are named by `name` where they
 * have one. No fix: the credential must be revoked, and removing it leaves it in history.
 */
export const secretPattern: ObjectRule = {
  kind: 'object',
  appliesTo: ['*'],
  meta: {
    id: 'secret-pattern',
    title: 'Credential in a manifest',
    severity: 'critical',
    description:
      'A string has the exact format of a live credential (cloud access key, GitHub, GitLab or Slack token, private key, …). Once pushed, it is readable by everyone with the repository and stays in its history, where automated scanners look for exactly these formats.',
    remediation:
      'Revoke and rotate the credential now, then load it from a Secret that is not committed (SealedSecret, External Secrets Operator, SOPS).',
    messages: {
      found: 'Credential committed in {{field}}: {{types}}.',
      foundDecoded: 'Credential committed in {{field}} (base64-encoded): {{types}}.',
    },
  },
  fieldsRead: ['object'],
  check: (resource) => {
    const hits: Hit[] = []
    walk(resource, resource.object, [], hits)
    return hits.map(
      (hit): Violation => ({
        messageId: hit.decoded ? 'foundDecoded' : 'found',
        data: { types: listed(hit.types), field: describePath(hit.path) },
        path: hit.path,
      }),
    )
  },
}

import type { ObjectPath, PathSegment } from '../model.js'

/** `spec.template.spec.containers[name=app].securityContext`: list items by name or value, never by index where they have one. */
export function displayPath(path: ObjectPath): string {
  let out = ''
  for (const segment of path) out += displaySegment(segment, out === '')
  return out
}

function displaySegment(segment: PathSegment, first: boolean): string {
  // Keys such as annotation names hold dots and slashes: quoted, so the path stays unambiguous.
  if (typeof segment === 'string' && !/^[A-Za-z0-9_-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`
  if (typeof segment === 'string') return first ? segment : `.${segment}`
  if (typeof segment === 'number') return `[${segment}]`
  return segment.key === null ? `[${segment.value}]` : `[${segment.key}=${segment.value}]`
}

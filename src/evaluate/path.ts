import type { ObjectPath, PathSegment } from '../model.js'

/** `spec.template.spec.containers[name=app].securityContext`: list items by name or value, never by index where they have one. */
export function displayPath(path: ObjectPath): string {
  let out = ''
  for (const segment of path) out += displaySegment(segment, out === '')
  return out
}

function displaySegment(segment: PathSegment, first: boolean): string {
  if (typeof segment === 'string') return first ? segment : `.${segment}`
  if (typeof segment === 'number') return `[${segment}]`
  return segment.key === null ? `[${segment.value}]` : `[${segment.key}=${segment.value}]`
}

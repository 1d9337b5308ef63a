import { identityKey } from '../extract/identity.js'
import type { Resource } from '../model.js'

export interface ObjectPair<T> {
  base: T | undefined
  head: T | undefined
}

/**
 * Pairs the objects of two revisions. The same identity may stand in several files
 * (`envs/dev/web.yaml` and `envs/prod/web.yaml`): those are distinct objects, so objects are
 * paired by identity and file first, then by identity alone for what moved to another file.
 * Whatever is left is added (no base) or deleted (no head).
 */
export function pairObjects<T extends { resource: Resource }>(base: readonly T[], head: readonly T[]): ObjectPair<T>[] {
  const pairs: ObjectPair<T>[] = []
  const unmatchedBase = new Map<string, T[]>()
  for (const object of base) push(unmatchedBase, identityKey(object.resource.identity), object)

  const unmatchedHead: T[] = []
  for (const object of head) {
    const candidates = unmatchedBase.get(identityKey(object.resource.identity))
    const sameFile = candidates?.findIndex((b) => b.resource.file === object.resource.file) ?? -1
    if (candidates && sameFile >= 0) pairs.push({ base: candidates.splice(sameFile, 1)[0], head: object })
    else unmatchedHead.push(object)
  }
  for (const object of unmatchedHead) {
    const moved = unmatchedBase.get(identityKey(object.resource.identity))?.shift()
    pairs.push({ base: moved, head: object })
  }
  for (const rest of unmatchedBase.values()) for (const object of rest) pairs.push({ base: object, head: undefined })
  return pairs
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

import type { Resource } from '../model.js'
import type { RevisionView } from '../rules/rule.js'

/** Indexes one revision's objects by `group/kind`. */
export function revisionView(resources: Iterable<Resource>): RevisionView {
  const byKind = new Map<string, Resource[]>()
  for (const resource of resources) {
    const key = `${resource.identity.group}/${resource.identity.kind}`
    const list = byKind.get(key)
    if (list) list.push(resource)
    else byKind.set(key, [resource])
  }
  return { objectsOf: (kind) => byKind.get(kind) ?? [] }
}

import { stringify } from 'yaml'
import type { JsonObject } from '../../src/model.js'

/** A container that passes every restricted check on its own. */
export function restrictedContainer(name: string, securityContext: JsonObject = {}): JsonObject {
  return {
    name,
    image: 'registry.example/app:1',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext },
  }
}

/** A Pod spec that passes restricted: one container, runAsNonRoot and RuntimeDefault at pod level. */
export function restrictedSpec(overrides: JsonObject = {}): JsonObject {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [restrictedContainer('app')],
    ...overrides,
  }
}

/** Manifest text of a bare Pod, through the real YAML writer. */
export function podText(spec: JsonObject, metadata: JsonObject = {}): string {
  return stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec })
}

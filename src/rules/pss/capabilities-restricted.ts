import { asArray } from '../../extract/json.js'
import type { PodRule, Violation } from '../rule.js'
import {
  addedCapabilities,
  BASELINE_CAPABILITIES,
  containerSetting,
  dropAllFix,
  isWindowsPod,
  RESTRICTED_CAPABILITY,
  removeFix,
  settingViolation,
} from './pod-security.js'

export const capabilitiesRestricted: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-capabilities-restricted',
    title: 'Capabilities not dropped',
    severity: 'medium',
    pss: { check: 'capabilities_restricted', level: 'restricted' },
    description:
      'Restricted containers drop every capability and add back at most NET_BIND_SERVICE, so a compromised process has no kernel privileges to abuse.',
    remediation: 'Set `securityContext.capabilities.drop: [ALL]` and add back nothing but `NET_BIND_SERVICE`.',
    messages: {
      dropAll: 'Container "{{container}}" does not drop ALL capabilities.',
      capability: 'Container "{{container}}" adds capability {{capability}}.',
    },
  },
  fieldsRead: ['pod.spec.os.name', 'container.securityContext.capabilities'],
  check: (pod) =>
    // Windows pods are exempt since 1.25: Linux capabilities do not apply to them
    isWindowsPod(pod)
      ? []
      : pod.containers.flatMap((container) => {
          const violations: Violation[] = []
          const drop = containerSetting(container, 'capabilities', 'drop')
          if (!asArray(drop.value).includes('ALL')) {
            violations.push({ ...settingViolation(drop, 'dropAll'), fix: dropAllFix(container) })
          }
          // Capabilities outside the baseline set are pss-capabilities-baseline's: report each field once.
          for (const { capability, path } of addedCapabilities(container)) {
            if (capability === RESTRICTED_CAPABILITY || !BASELINE_CAPABILITIES.has(capability)) continue
            const data = { container: container.name, capability }
            const fix = removeFix(`Remove capability ${capability}.`, path)
            violations.push({ messageId: 'capability', data, path, container: container.name, fix })
          }
          return violations
        }),
}

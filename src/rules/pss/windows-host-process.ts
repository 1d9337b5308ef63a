import type { PodRule } from '../rule.js'
import { hostProcessSettings, removeFix, scopeOf, settingViolation } from './pod-security.js'

export const windowsHostProcess: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-windows-host-process',
    title: 'Windows HostProcess container',
    severity: 'high',
    pss: { check: 'windowsHostProcess', level: 'baseline' },
    description:
      'A Windows HostProcess container runs directly on the node with its network and file system: it is privileged access to the Windows host.',
    remediation: 'Remove `windowsOptions.hostProcess` or set it to `false`.',
    messages: {
      pod: 'The pod sets windowsOptions.hostProcess: true.',
      container: 'Container "{{container}}" sets windowsOptions.hostProcess: true.',
    },
  },
  fieldsRead: [
    'pod.spec.securityContext.windowsOptions.hostProcess',
    'container.securityContext.windowsOptions.hostProcess',
  ],
  check: (pod) => {
    const settings = hostProcessSettings(pod)
    // A pod runs HostProcess containers only or none (the API rejects a mix): one fix removes them all.
    const description =
      settings.length > 1
        ? 'Remove windowsOptions.hostProcess from the pod and its containers.'
        : 'Remove windowsOptions.hostProcess.'
    const fix = removeFix(description, ...settings.map((setting) => setting.path))
    return settings.map((setting) => ({ ...settingViolation(setting, scopeOf(setting)), fix }))
  },
}

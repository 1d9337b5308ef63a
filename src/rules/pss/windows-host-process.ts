import type { PodRule } from '../rule.js'
import { scopeOf, settingsOf, settingViolation } from './pod-security.js'

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
  check: (pod) =>
    settingsOf(pod, 'windowsOptions', 'hostProcess')
      .filter((setting) => setting.value === true)
      .map((setting) => settingViolation(setting, scopeOf(setting))),
}

import { asArray, asString, getIn } from '../../extract/json.js'
import type { PodRule } from '../rule.js'
import { itemRef, podSetting, removeFix, settingViolation } from './pod-security.js'

/** Namespaced sysctls baseline allows, policy 1.37 (with the version that added each group). */
const ALLOWED_SYSCTLS: ReadonlySet<string> = new Set([
  // 1.0
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  // 1.27
  'net.ipv4.ip_local_reserved_ports',
  // 1.29
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  // 1.32
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  // 1.37
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
])

export const sysctls: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-sysctls',
    title: 'Unsafe sysctl',
    severity: 'high',
    pss: { check: 'sysctls', level: 'baseline' },
    description:
      'Sysctls outside the safe, namespaced set can change kernel settings shared with every other pod on the node.',
    remediation: 'Remove the sysctl from `securityContext.sysctls`, or set it on the node instead.',
    messages: { sysctl: 'The pod sets sysctl "{{sysctl}}".' },
  },
  fieldsRead: ['pod.spec.securityContext.sysctls'],
  check: (pod) => {
    const setting = podSetting(pod, 'sysctls')
    return asArray(setting.value).flatMap((item, index) => {
      const name = asString(getIn(item, ['name'])) ?? ''
      if (ALLOWED_SYSCTLS.has(name)) return []
      const violation = settingViolation(setting, 'sysctl', { sysctl: name }, itemRef(item, index, 'name'))
      return [{ ...violation, fix: removeFix(`Remove sysctl ${name}.`, violation.path) }]
    })
  },
}

import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../../src/model.js'
import { evaluateObjects, PSS_RULES } from '../helpers/evaluate.js'
import { podText, restrictedContainer, restrictedSpec } from '../helpers/pods.js'

/** Cases the upstream fixtures do not cover, judged by every rule together. */

const POD_SECURITY = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }
/** A container with no securityContext at all. */
const BARE = { name: 'app', image: 'x' }

function judge(spec: JsonObject, metadata: JsonObject = {}) {
  const [object] = evaluateObjects(podText(spec, metadata), PSS_RULES)
  if (!object) throw new Error('no object')
  return {
    posture: object.posture,
    findings: object.findings.map((finding) => `${finding.ruleId} ${finding.path}`),
    containers: object.findings.map((finding) => finding.container),
  }
}

describe('the appArmorProfile field', () => {
  it.each([
    [
      'Unconfined at pod level',
      restrictedSpec({
        securityContext: { ...POD_SECURITY, appArmorProfile: { type: 'Unconfined' } },
      }),
      ['pss-apparmor-profile spec.securityContext.appArmorProfile.type'],
    ],
    [
      'Unconfined on a container',
      restrictedSpec({ containers: [restrictedContainer('app', { appArmorProfile: { type: 'Unconfined' } })] }),
      ['pss-apparmor-profile spec.containers[name=app].securityContext.appArmorProfile.type'],
    ],
  ])('%s violates baseline', (_name, spec, expected) => {
    expect(judge(spec)).toMatchObject({ posture: 'privileged', findings: expected })
  })

  it.each([
    ['RuntimeDefault', { type: 'RuntimeDefault' }],
    ['Localhost', { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' }],
  ])('%s at pod and container level is restricted', (_name, profile) => {
    const spec = restrictedSpec({
      securityContext: { ...POD_SECURITY, appArmorProfile: profile },
      containers: [restrictedContainer('app', { appArmorProfile: profile })],
    })
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })

  it('checks the annotation for any container name, even one the pod does not run', () => {
    const result = judge(restrictedSpec(), {
      annotations: { 'container.apparmor.security.beta.kubernetes.io/gone': 'unconfined' },
    })
    expect(result.findings).toEqual([
      'pss-apparmor-profile metadata.annotations["container.apparmor.security.beta.kubernetes.io/gone"]',
    ])
    expect(result.containers).toEqual(['gone'])
  })
})

describe('sysctls', () => {
  const ALLOWED_1_37 = [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem',
    'net.ipv4.tcp_slow_start_after_idle',
    'net.ipv4.tcp_notsent_lowat',
  ]

  it.each(ALLOWED_1_37)('%s is allowed', (name) => {
    const spec = restrictedSpec({
      securityContext: { ...POD_SECURITY, sysctls: [{ name, value: '1' }] },
    })
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })

  it('matches names exactly', () => {
    const spec = restrictedSpec({
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net/ipv4/tcp_syncookies', value: '1' }, { name: 'net.ipv4.tcp_rmem ', value: '1' }],
      },
    })
    expect(judge(spec).findings).toEqual([
      'pss-sysctls spec.securityContext.sysctls[name=net/ipv4/tcp_syncookies]',
      'pss-sysctls spec.securityContext.sysctls[name=net.ipv4.tcp_rmem ]',
    ])
  })
})

describe('SELinux', () => {
  const TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']
  it.each(TYPES)('type %s is restricted', (type) => {
    const spec = restrictedSpec({ containers: [restrictedContainer('app', { seLinuxOptions: { type } })] })
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })
})

describe('user namespaces (hostUsers: false)', () => {
  it('relax runAsNonRoot and runAsUser, so root in the pod is restricted', () => {
    const spec = restrictedSpec({
      hostUsers: false,
      securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
    })
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })

  it('relax baseline procMount but not restricted', () => {
    const spec = restrictedSpec({
      hostUsers: false,
      containers: [restrictedContainer('app', { procMount: 'Unmasked' })],
    })
    expect(judge(spec)).toMatchObject({
      posture: 'baseline',
      findings: ['pss-proc-mount-restricted spec.containers[name=app].securityContext.procMount'],
    })
  })

  it('do not apply with hostUsers: true or unset', () => {
    for (const hostUsers of [true, undefined]) {
      const spec = restrictedSpec({
        ...(hostUsers === undefined ? {} : { hostUsers }),
        securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [restrictedContainer('app', { procMount: 'Unmasked' })],
      })
      expect(judge(spec)).toMatchObject({
        posture: 'privileged',
        findings: [
          'pss-proc-mount spec.containers[name=app].securityContext.procMount',
          'pss-run-as-user spec.securityContext.runAsUser',
        ],
      })
    }
  })
})

describe('Windows pods (spec.os.name: windows)', () => {
  it('are exempt from allowPrivilegeEscalation, capabilities and seccomp in restricted', () => {
    const spec = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [BARE] }
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })

  it('are not exempt from runAsNonRoot', () => {
    const spec = { os: { name: 'windows' }, containers: [BARE] }
    expect(judge(spec)).toMatchObject({
      posture: 'baseline',
      findings: ['pss-run-as-non-root spec.containers[name=app].securityContext.runAsNonRoot'],
    })
  })

  it('still fail baseline with an Unconfined seccomp profile', () => {
    const spec = {
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } },
      containers: [BARE],
    }
    expect(judge(spec)).toMatchObject({
      posture: 'privileged',
      findings: ['pss-seccomp-profile-baseline spec.securityContext.seccompProfile.type'],
    })
  })

  it('only when os.name is exactly windows', () => {
    const spec = { os: { name: 'Windows' }, securityContext: { runAsNonRoot: true }, containers: [BARE] }
    expect(judge(spec).posture).toBe('baseline')
  })
})

describe('ephemeral containers', () => {
  const base = restrictedSpec()
  const debug = (securityContext: JsonObject, extra: JsonObject = {}): JsonObject => ({
    ...base,
    ephemeralContainers: [{ ...restrictedContainer('debug', securityContext), ...extra }],
  })

  it.each([
    ['pss-privileged', debug({ privileged: true, allowPrivilegeEscalation: true })],
    ['pss-host-ports', debug({}, { ports: [{ containerPort: 80, hostPort: 80 }] })],
    ['pss-capabilities-baseline', debug({ capabilities: { drop: ['ALL'], add: ['SYS_PTRACE'] } })],
    ['pss-apparmor-profile', debug({ appArmorProfile: { type: 'Unconfined' } })],
    ['pss-selinux-options', debug({ seLinuxOptions: { user: 'system_u' } })],
    ['pss-proc-mount', debug({ procMount: 'Unmasked' })],
    ['pss-seccomp-profile-baseline', debug({ seccompProfile: { type: 'Unconfined' } })],
    ['pss-windows-host-process', debug({ windowsOptions: { hostProcess: true } })],
    ['pss-host-probes-and-lifecycle', debug({}, { readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 1 } } })],
    ['pss-allow-privilege-escalation', debug({ allowPrivilegeEscalation: true })],
    ['pss-capabilities-restricted', debug({ capabilities: { drop: ['NET_RAW'] } })],
    ['pss-run-as-non-root', debug({ runAsNonRoot: false })],
    ['pss-run-as-user', debug({ runAsUser: 0 })],
    ['pss-proc-mount-restricted', { ...debug({ procMount: 'Unmasked' }), hostUsers: false }],
  ])('are checked by %s', (ruleId, spec) => {
    const [object] = evaluateObjects(podText(spec), PSS_RULES)
    const findings = object?.findings.filter((finding) => finding.ruleId === ruleId) ?? []
    expect(findings.length).toBeGreaterThan(0)
    for (const finding of findings) {
      expect(finding.container).toBe('debug')
      expect(finding.path).toMatch(/^spec\.ephemeralContainers\[name=debug\]\./)
    }
  })

  it('are checked by pss-seccomp-profile-restricted when the pod sets no profile', () => {
    const spec = {
      securityContext: { runAsNonRoot: true },
      containers: [restrictedContainer('app', { seccompProfile: { type: 'RuntimeDefault' } })],
      ephemeralContainers: [restrictedContainer('debug')],
    }
    expect(judge(spec).findings).toEqual([
      'pss-seccomp-profile-restricted spec.ephemeralContainers[name=debug].securityContext.seccompProfile',
    ])
  })
})

describe('volumes', () => {
  it('a volume with a name only is restricted (the API defaults it to emptyDir)', () => {
    const spec = restrictedSpec({ volumes: [{ name: 'scratch' }] })
    expect(judge(spec)).toMatchObject({ posture: 'restricted', findings: [] })
  })

  it('a volume without a name is named by its index', () => {
    expect(judge(restrictedSpec({ volumes: [{ nfs: { server: 's', path: '/' } }] })).findings).toEqual([
      'pss-restricted-volumes spec.volumes[0].nfs',
    ])
  })
})

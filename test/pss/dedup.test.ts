import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../../src/model.js'
import { evaluateObjects, PSS_RULES } from '../helpers/evaluate.js'
import { podText, restrictedContainer, restrictedSpec } from '../helpers/pods.js'

/**
 * Each offending field is reported once, by the most severe check that catches it: the restricted
 * replacements never re-report what their baseline counterpart already does.
 */

function findingsFor(spec: JsonObject) {
  const [object] = evaluateObjects(podText(spec), PSS_RULES)
  return {
    posture: object?.posture,
    findings: (object?.findings ?? []).map((finding) => `${finding.ruleId} ${finding.path}`),
  }
}

const POD_SECURITY = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }
const APP = 'spec.containers[name=app].securityContext'

describe('one finding per offending field', () => {
  it.each([
    [
      'a capability outside the baseline set: baseline only',
      restrictedSpec({
        containers: [restrictedContainer('app', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })],
      }),
      'privileged',
      [`pss-capabilities-baseline ${APP}.capabilities.add[SYS_ADMIN]`],
    ],
    [
      'a baseline capability other than NET_BIND_SERVICE: restricted only',
      restrictedSpec({ containers: [restrictedContainer('app', { capabilities: { drop: ['ALL'], add: ['CHOWN'] } })] }),
      'baseline',
      [`pss-capabilities-restricted ${APP}.capabilities.add[CHOWN]`],
    ],
    [
      'a hostPath volume: baseline only',
      restrictedSpec({ volumes: [{ name: 'host', hostPath: { path: '/' } }] }),
      'privileged',
      ['pss-host-path-volumes spec.volumes[name=host].hostPath'],
    ],
    [
      'another disallowed volume source: restricted only',
      restrictedSpec({ volumes: [{ name: 'share', nfs: { server: 's', path: '/' } }] }),
      'baseline',
      ['pss-restricted-volumes spec.volumes[name=share].nfs'],
    ],
    [
      'an Unconfined pod-level seccomp profile: baseline only, containers inheriting it not re-reported',
      restrictedSpec({
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } },
        containers: [restrictedContainer('app'), restrictedContainer('side')],
      }),
      'privileged',
      ['pss-seccomp-profile-baseline spec.securityContext.seccompProfile.type'],
    ],
    [
      'an Unconfined container seccomp profile with none at pod level: baseline only',
      restrictedSpec({
        securityContext: { runAsNonRoot: true },
        containers: [restrictedContainer('app', { seccompProfile: { type: 'Unconfined' } })],
      }),
      'privileged',
      [`pss-seccomp-profile-baseline ${APP}.seccompProfile.type`],
    ],
    [
      'a seccomp profile without a type: baseline only',
      restrictedSpec({ securityContext: { runAsNonRoot: true, seccompProfile: {} } }),
      'privileged',
      ['pss-seccomp-profile-baseline spec.securityContext.seccompProfile.type'],
    ],
    [
      'an unset seccomp profile: restricted only',
      restrictedSpec({ securityContext: { runAsNonRoot: true } }),
      'baseline',
      [`pss-seccomp-profile-restricted ${APP}.seccompProfile`],
    ],
    [
      'procMount Unmasked outside a user namespace: baseline only',
      restrictedSpec({ containers: [restrictedContainer('app', { procMount: 'Unmasked' })] }),
      'privileged',
      [`pss-proc-mount ${APP}.procMount`],
    ],
    [
      'procMount Unmasked in a user namespace: restricted only',
      restrictedSpec({ hostUsers: false, containers: [restrictedContainer('app', { procMount: 'Unmasked' })] }),
      'baseline',
      [`pss-proc-mount-restricted ${APP}.procMount`],
    ],
    [
      'a pod-level runAsNonRoot: false: once, not again per inheriting container',
      restrictedSpec({
        securityContext: { ...POD_SECURITY, runAsNonRoot: false },
        containers: [restrictedContainer('app'), restrictedContainer('side')],
      }),
      'baseline',
      ['pss-run-as-non-root spec.securityContext.runAsNonRoot'],
    ],
  ])('%s', (_name, spec, posture, expected) => {
    expect(findingsFor(spec)).toEqual({ posture, findings: expected })
  })
})

describe('across the upstream fixtures', () => {
  const root = fileURLToPath(new URL('../fixtures/pss/', import.meta.url))
  const files = ['baseline/pass', 'baseline/fail', 'restricted/pass', 'restricted/fail'].flatMap((dir) =>
    readdirSync(`${root}${dir}`).map((file) => `${dir}/${file}`),
  )

  it.each(files)('%s reports no field twice', (file) => {
    const [object] = evaluateObjects(readFileSync(`${root}${file}`, 'utf8'), PSS_RULES)
    const paths = (object?.findings ?? []).map((finding) => finding.path)
    expect(paths.length).toBe(new Set(paths).size)
  })
})

import { describe } from 'vitest'
import { seccompProfileRestricted } from '../../src/rules/pss/seccomp-profile-restricted.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-seccomp-profile-restricted', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires per container without a profile when the pod sets none',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: covered
              securityContext:
                seccompProfile: { type: RuntimeDefault }
            - name: bare
              securityContext:
                runAsNonRoot: true
      `,
      fixes: [
        {
          safety: 'safe',
          description: 'Set seccompProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'containers', item(1, 'bare'), 'securityContext', 'seccompProfile'], {'type':'RuntimeDefault'})],
        },
      ],
      expected: [
        {
          message: 'Container "bare" has no seccomp profile, and the pod sets none.',
          path: 'spec.containers[name=bare].securityContext.seccompProfile',
          container: 'bare',
          line: 11,
        },
      ],
    },
    {
      name: 'leaves explicit disallowed types to pss-seccomp-profile-baseline',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seccompProfile: { type: Unconfined }
          containers:
            - name: app
            - name: other
              securityContext:
                seccompProfile: { type: Unconfined }
      `,
      expected: [],
    },
    {
      name: 'does not fire when the pod sets an allowed profile',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seccompProfile: { type: Localhost, localhostProfile: p.json }
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'does not fire on Windows pods (exempt since 1.25)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          os: { name: windows }
          containers:
            - name: app
      `,
      expected: [],
    },
  ]
  ruleCases(seccompProfileRestricted, cases)
  ruleFixes(seccompProfileRestricted, cases)
})

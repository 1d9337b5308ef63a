import { describe } from 'vitest'
import { seccompProfileBaseline } from '../../src/rules/pss/seccomp-profile-baseline.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-seccomp-profile-baseline', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on Unconfined at pod and container level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seccompProfile:
              type: Unconfined
          containers:
            - name: app
              securityContext:
                seccompProfile: { type: Unconfined }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set seccompProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
        },
        {
          safety: 'review',
          description: 'Set seccompProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'containers', item(0, 'app'), 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
        },
      ],
      expected: [
        {
          message: 'The pod sets seccompProfile.type to "Unconfined".',
          path: 'spec.securityContext.seccompProfile.type',
          container: null,
          line: 8,
        },
        {
          message: 'Container "app" sets seccompProfile.type to "Unconfined".',
          path: 'spec.containers[name=app].securityContext.seccompProfile.type',
          container: 'app',
          line: 12,
        },
      ],
    },
    {
      name: 'fires on a profile block without a type (upstream reads it as type "")',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seccompProfile: {}
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'safe',
          description: 'Set seccompProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
        },
      ],
      expected: [
        {
          message: 'The pod sets seccompProfile.type to "".',
          path: 'spec.securityContext.seccompProfile.type',
          container: null,
          line: 7,
        },
      ],
    },
    {
      name: 'does not fire on RuntimeDefault, Localhost or unset',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seccompProfile: { type: RuntimeDefault }
          containers:
            - name: a
              securityContext:
                seccompProfile: { type: Localhost, localhostProfile: profiles/audit.json }
            - name: b
      `,
      expected: [],
    },
    {
      name: 'a localhostProfile goes with the type it no longer matches',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                seccompProfile: { type: Unconfined, localhostProfile: profiles/audit.json }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set seccompProfile.type to RuntimeDefault.',
          edits: [
            set(['spec', 'containers', item(0, 'app'), 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault'),
            del(['spec', 'containers', item(0, 'app'), 'securityContext', 'seccompProfile', 'localhostProfile']),
          ],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets seccompProfile.type to "Unconfined".',
          path: 'spec.containers[name=app].securityContext.seccompProfile.type',
          container: 'app',
          line: 9,
        },
      ],
    },
  ]
  ruleCases(seccompProfileBaseline, cases)
  ruleFixes(seccompProfileBaseline, cases)
})

import { describe } from 'vitest'
import { seccompProfileBaseline } from '../../src/rules/pss/seccomp-profile-baseline.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-seccomp-profile-baseline', () => {
  ruleCases(seccompProfileBaseline, [
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
  ])
})

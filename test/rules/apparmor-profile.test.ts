import { describe } from 'vitest'
import { apparmorProfile } from '../../src/rules/pss/apparmor-profile.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-apparmor-profile', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on an unconfined annotation on the pod template metadata',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: unconfined
        spec:
          template:
            metadata:
              annotations:
                container.apparmor.security.beta.kubernetes.io/app: unconfined
                container.apparmor.security.beta.kubernetes.io/side: localhost/custom
            spec:
              containers:
                - name: app
                - name: side
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set the AppArmor annotation to runtime/default.',
          edits: [set(['spec', 'template', 'metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app'], 'runtime/default')],
        },
      ],
      expected: [
        {
          message: 'The AppArmor annotation for container "app" is set to unconfined.',
          path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
          container: 'app',
          line: 11,
        },
      ],
    },
    {
      name: 'fires on appArmorProfile.type Unconfined at pod and container level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            appArmorProfile:
              type: Unconfined
          containers:
            - name: app
              securityContext:
                appArmorProfile: { type: Unconfined }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set appArmorProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault')],
        },
        {
          safety: 'review',
          description: 'Set appArmorProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'containers', item(0, 'app'), 'securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault')],
        },
      ],
      expected: [
        {
          message: 'The pod sets appArmorProfile.type to "Unconfined".',
          path: 'spec.securityContext.appArmorProfile.type',
          container: null,
          line: 8,
        },
        {
          message: 'Container "app" sets appArmorProfile.type to "Unconfined".',
          path: 'spec.containers[name=app].securityContext.appArmorProfile.type',
          container: 'app',
          line: 12,
        },
      ],
    },
    {
      name: 'fires on a profile without a type, pointing at the missing type',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                appArmorProfile: {}
      `,
      fixes: [
        {
          safety: 'safe',
          description: 'Set appArmorProfile.type to RuntimeDefault.',
          edits: [set(['spec', 'containers', item(0, 'app'), 'securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault')],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets appArmorProfile.type to "".',
          path: 'spec.containers[name=app].securityContext.appArmorProfile.type',
          container: 'app',
          line: 9,
        },
      ],
    },
    {
      name: 'does not fire on allowed annotations and profile types',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            container.apparmor.security.beta.kubernetes.io/a: runtime/default
            container.apparmor.security.beta.kubernetes.io/b: localhost/my-profile
            container.apparmor.security.beta.kubernetes.io/c: ""
            other.example.com/apparmor: unconfined
        spec:
          securityContext:
            appArmorProfile: { type: RuntimeDefault }
          containers:
            - name: a
              securityContext:
                appArmorProfile: { type: Localhost, localhostProfile: my-profile }
      `,
      expected: [],
    },
    {
      name: 'a value that is no profile is set to RuntimeDefault as a safe fix; a localhostProfile goes with Unconfined',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: bogus
        spec:
          containers:
            - name: app
              securityContext:
                appArmorProfile:
                  type: Unconfined
                  localhostProfile: leftover
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set appArmorProfile.type to RuntimeDefault.',
          edits: [
            set(['spec', 'containers', item(0, 'app'), 'securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault'),
            del(['spec', 'containers', item(0, 'app'), 'securityContext', 'appArmorProfile', 'localhostProfile']),
          ],
        },
        {
          safety: 'safe',
          description: 'Set the AppArmor annotation to runtime/default.',
          edits: [set(['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app'], 'runtime/default')],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets appArmorProfile.type to "Unconfined".',
          path: 'spec.containers[name=app].securityContext.appArmorProfile.type',
          container: 'app',
          line: 12,
        },
        {
          message: 'The AppArmor annotation for container "app" is set to bogus.',
          path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
          container: 'app',
          line: 6,
        },
      ],
    },
  ]
  ruleCases(apparmorProfile, cases)
  ruleFixes(apparmorProfile, cases)
})

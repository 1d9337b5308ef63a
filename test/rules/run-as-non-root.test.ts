import { describe } from 'vitest'
import { runAsNonRoot } from '../../src/rules/pss/run-as-non-root.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-run-as-non-root', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires per container left uncovered when the pod sets nothing',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: covered
              securityContext:
                runAsNonRoot: true
            - name: bare
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set runAsNonRoot: true.',
          edits: [set(['spec', 'containers', item(1, 'bare'), 'securityContext', 'runAsNonRoot'], true)],
        },
      ],
      expected: [
        {
          message: 'Container "bare" does not set runAsNonRoot: true, nor does the pod.',
          path: 'spec.containers[name=bare].securityContext.runAsNonRoot',
          container: 'bare',
          line: 10,
        },
      ],
    },
    {
      name: 'fires once at pod level on an explicit false, and on each container setting false',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            runAsNonRoot: false
          containers:
            - name: inherits
            - name: explicit
              securityContext:
                runAsNonRoot: false
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set runAsNonRoot: true.',
          edits: [set(['spec', 'securityContext', 'runAsNonRoot'], true)],
        },
        {
          safety: 'review',
          description: 'Set runAsNonRoot: true.',
          edits: [set(['spec', 'containers', item(1, 'explicit'), 'securityContext', 'runAsNonRoot'], true)],
        },
      ],
      expected: [
        { message: 'The pod sets runAsNonRoot: false.', path: 'spec.securityContext.runAsNonRoot', container: null, line: 7 },
        {
          message: 'Container "explicit" sets runAsNonRoot: false.',
          path: 'spec.containers[name=explicit].securityContext.runAsNonRoot',
          container: 'explicit',
          line: 12,
        },
      ],
    },
    {
      name: 'fires on a container overriding the pod with false',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext: { runAsNonRoot: true }
          initContainers:
            - name: init
              securityContext: { runAsNonRoot: false }
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Set runAsNonRoot: true.',
          edits: [set(['spec', 'initContainers', item(0, 'init'), 'securityContext', 'runAsNonRoot'], true)],
        },
      ],
      expected: [
        {
          message: 'Container "init" sets runAsNonRoot: false.',
          path: 'spec.initContainers[name=init].securityContext.runAsNonRoot',
          container: 'init',
          line: 9,
        },
      ],
    },
    {
      name: 'does not fire when the pod sets true',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext: { runAsNonRoot: true }
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'does not fire in a user namespace (hostUsers: false, since 1.35)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostUsers: false
          securityContext: { runAsNonRoot: false }
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'offers no fix where a governed container runs as UID 0 (the kubelet would refuse to start it)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: root
              securityContext:
                runAsUser: 0
            - name: fine
              securityContext:
                runAsUser: 1000
      `,
      fixes: [
        null,
        {
          safety: 'review',
          description: 'Set runAsNonRoot: true.',
          edits: [set(['spec', 'containers', item(1, 'fine'), 'securityContext', 'runAsNonRoot'], true)],
        },
      ],
      expected: [
        {
          message: 'Container "root" does not set runAsNonRoot: true, nor does the pod.',
          path: 'spec.containers[name=root].securityContext.runAsNonRoot',
          container: 'root',
          line: 8,
        },
        {
          message: 'Container "fine" does not set runAsNonRoot: true, nor does the pod.',
          path: 'spec.containers[name=fine].securityContext.runAsNonRoot',
          container: 'fine',
          line: 11,
        },
      ],
    },
    {
      name: 'offers no pod-level fix while an inheriting container runs as the pod’s UID 0',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            runAsNonRoot: false
            runAsUser: 0
          containers:
            - name: app
      `,
      fixes: [null],
      expected: [{ message: 'The pod sets runAsNonRoot: false.', path: 'spec.securityContext.runAsNonRoot', container: null, line: 7 }],
    },
  ]
  ruleCases(runAsNonRoot, cases)
  ruleFixes(runAsNonRoot, cases)
})

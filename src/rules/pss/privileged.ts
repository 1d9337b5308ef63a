import type { PodRule } from '../rule.js'
import { containerSecurityContext, containerSecurityContextPath, removeFix } from './pod-security.js'

export const privileged: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-privileged',
    title: 'Privileged container',
    severity: 'critical',
    pss: { check: 'privileged', level: 'baseline' },
    description:
      'A privileged container has every capability and access to all host devices: escaping to the node takes one command.',
    remediation: 'Remove `securityContext.privileged` or set it to `false`.',
    messages: { privileged: 'Container "{{container}}" runs privileged.' },
  },
  fieldsRead: ['container.securityContext.privileged'],
  check: (pod) =>
    pod.containers.flatMap((container) =>
      containerSecurityContext(container)?.privileged === true
        ? [
            {
              messageId: 'privileged',
              data: { container: container.name },
              path: containerSecurityContextPath(container, 'privileged'),
              container: container.name,
              fix: removeFix('Remove privileged: true.', containerSecurityContextPath(container, 'privileged')),
            },
          ]
        : [],
    ),
}

import { asObject } from '../../extract/json.js'
import type { PodRule } from '../rule.js'
import { disallowedProfileTypes, runtimeDefaultProfileFix, scopeOf, setFix, settingViolation } from './pod-security.js'

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'

/** Annotation values baseline allows: empty, the runtime default, or a profile loaded on the node. */
function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/')
}

export const apparmorProfile: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-apparmor-profile',
    title: 'AppArmor disabled',
    severity: 'high',
    pss: { check: 'appArmorProfile', level: 'baseline' },
    description:
      'Running a container unconfined removes the AppArmor profile the runtime applies by default, one of the layers between a compromised container and the node.',
    remediation:
      'Remove the override, or set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (annotation: `runtime/default` or `localhost/<profile>`).',
    messages: {
      annotation: 'The AppArmor annotation for container "{{container}}" is set to {{profile}}.',
      pod: 'The pod sets appArmorProfile.type to "{{type}}".',
      container: 'Container "{{container}}" sets appArmorProfile.type to "{{type}}".',
    },
  },
  fieldsRead: [
    'pod.metadata.annotations',
    'pod.spec.securityContext.appArmorProfile',
    'container.securityContext.appArmorProfile',
  ],
  check: (pod) => [
    ...disallowedProfileTypes(pod, 'appArmorProfile').map(({ setting, type }) => ({
      ...settingViolation(setting, scopeOf(setting), { type }, 'type'),
      fix: runtimeDefaultProfileFix(setting, 'appArmorProfile', type),
    })),
    // the beta annotations on the pod's own metadata (the template's, for workloads), any container name
    ...Object.entries(asObject(pod.metadata.annotations) ?? {}).flatMap(([key, value]) => {
      if (!key.startsWith(ANNOTATION_PREFIX) || typeof value !== 'string' || allowedAnnotationValue(value)) return []
      const container = key.slice(ANNOTATION_PREFIX.length)
      const path = [...pod.metadataPath, 'annotations', key]
      // as with the field: `unconfined` was chosen, anything else is not a profile at all
      const safety = value === 'unconfined' ? 'review' : 'safe'
      const fix = setFix(safety, 'Set the AppArmor annotation to runtime/default.', path, 'runtime/default')
      return [{ messageId: 'annotation', data: { container, profile: value }, path, container, fix }]
    }),
  ],
}

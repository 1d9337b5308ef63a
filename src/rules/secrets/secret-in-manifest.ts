import { asObject } from '../../extract/json.js'
import type { JsonValue } from '../../model.js'
import type { ObjectRule, Violation } from '../rule.js'

/** A value SOPS encrypted in place: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/

function isPlainValue(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === '') return false
  return !(typeof value === 'string' && SOPS_VALUE.test(value))
}

/**
 * A core Secret carrying values in `data` or `stringData`, one finding per key (the key's name
 * only, never its value). Files SOPS encrypted (a top-level `sops` map, or values it encrypted)
 * and empty values are fine; SealedSecret and ExternalSecret are other kinds. No fix: the value
 * must move out of the repository, and the credential be rotated.
 */
export const secretInManifest: ObjectRule = {
  kind: 'object',
  appliesTo: ['/Secret'],
  meta: {
    id: 'secret-in-manifest',
    title: 'Secret committed in plain text',
    severity: 'high',
    description:
      'Secret `data` is only base64-encoded: anyone who can read the repository, its forks, clones, CI logs or history can read the credential, long after it is deleted from the file.',
    remediation:
      'Keep the value out of the repository (SealedSecret, External Secrets Operator, SOPS, or a secret store CSI driver) and rotate the credential that was committed.',
    messages: {
      data: 'The Secret commits a value for key "{{key}}" in data (base64 is an encoding, not encryption).',
      stringData: 'The Secret commits a value for key "{{key}}" in stringData in plain text.',
    },
  },
  fieldsRead: ['object.sops', 'object.data', 'object.stringData'],
  check: (resource) => {
    if (asObject(resource.object.sops)) return []
    return (['data', 'stringData'] as const).flatMap((field) =>
      Object.entries(asObject(resource.object[field]) ?? {}).flatMap(([key, value]): Violation[] =>
        isPlainValue(value) ? [{ messageId: field, data: { key }, path: [field, key] }] : [],
      ),
    )
  },
}

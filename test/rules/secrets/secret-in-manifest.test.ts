import { describe, expect, it } from 'vitest'
import { secretInManifest } from '../../../src/rules/secrets/secret-in-manifest.js'
import { evaluateYaml, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

describe('secret-in-manifest', () => {
  ruleCases(secretInManifest, [
    {
      name: 'fires once per data and stringData key, naming the key only',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
        type: Opaque
        data:
          password: c3VwZXItc2VjcmV0LTQy
          empty: ""
        stringData:
          config.yaml: |
            user: app
            password: hunter2-but-longer
      `,
      expected: [
        {
          message: 'The Secret commits a value for key "password" in data (base64 is an encoding, not encryption).',
          path: 'data.password',
          container: null,
          line: 7,
        },
        {
          message: 'The Secret commits a value for key "config.yaml" in stringData in plain text.',
          path: 'stringData["config.yaml"]',
          container: null,
          line: 10,
        },
      ],
    },
    {
      name: 'fires on a TLS Secret and on a service account token Secret that carries its token',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: tls
        type: kubernetes.io/tls
        data: { tls.key: LS0tLS1CRUdJTg==, tls.crt: "" }
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: sa-token
          annotations: { kubernetes.io/service-account.name: app }
        type: kubernetes.io/service-account-token
        data:
          token: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZmFrZQ==
      `,
      expected: [
        {
          message: 'The Secret commits a value for key "tls.key" in data (base64 is an encoding, not encryption).',
          path: 'data["tls.key"]',
          container: null,
          line: 6,
        },
        {
          message: 'The Secret commits a value for key "token" in data (base64 is an encoding, not encryption).',
          path: 'data.token',
          container: null,
          line: 15,
        },
      ],
    },
    {
      name: 'does not fire on empty Secrets or a service account token Secret without data',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: sa-token
          annotations: { kubernetes.io/service-account.name: app }
        type: kubernetes.io/service-account-token
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: empty
        data: {}
        stringData: { a: "", b: null }
      `,
      expected: [],
    },
    {
      name: 'does not fire on SOPS-encrypted files, nor on values SOPS encrypted',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: sops-file
        data:
          password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]
          legacy: plain-because-of-unencrypted-suffix
        sops:
          age:
            - recipient: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
          version: 3.8.1
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: encrypted-values
        stringData:
          password: ENC[AES256_GCM,data:8Xk=,iv:3=,tag:4=,type:str]
      `,
      expected: [],
    },
    {
      name: 'does not fire on SealedSecret, ExternalSecret or a Secret-like CRD',
      text: yaml`
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata:
          name: db
        spec:
          encryptedData: { password: AgBy3i4OJSWK+PiTySYZZA== }
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata:
          name: db
        spec:
          data: [{ secretKey: password, remoteRef: { key: db/password } }]
        ---
        apiVersion: example.com/v1
        kind: Secret
        metadata:
          name: not-core
        data: { password: c2VjcmV0 }
      `,
      expected: [],
    },
    {
      name: 'does not throw on wrong types',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: broken
        data: [password]
        stringData: plain
      `,
      expected: [],
    },
  ])

  it('never puts a value into a finding', () => {
    const findings = evaluateYaml(
      yaml`
        apiVersion: v1
        kind: Secret
        metadata: { name: s }
        stringData: { api-key: Xq93-very-private-value-81Kd }
        data: { other: WHE5My12ZXJ5LXByaXZhdGUtdmFsdWUtODFLZA== }
      `,
      [secretInManifest],
    )
    expect(findings).toHaveLength(2)
    const shown = JSON.stringify(findings)
    expect(shown).not.toContain('very-private')
    expect(shown).not.toContain('WHE5My12ZXJ5')
  })
})

import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { credentialsIn } from '../../../src/rules/secrets/credential-patterns.js'
import type { JsonObject, Resource } from '../../../src/model.js'
import { applyEditsToJson } from '../../../src/render/fix/json-edit.js'
import { secretPattern } from '../../../src/rules/secrets/secret-pattern.js'
import { evaluateYaml, findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`

/** Deterministic, well-formed fake token material: never a real credential. */
function fake(alphabet: string, length: number, seed: number): string {
  let x = seed
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    out += alphabet[Math.floor(x / 65536) % alphabet.length]
  }
  return out
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

const pemBody = Array.from({ length: 6 }, (_, i) => fake(`${ALNUM}+/`, 64, 900 + i)).join('\n')

/** One fake of every format the rule knows, by the name messages give it. */
const TOKENS: Record<string, string> = {
  'AWS access key ID': `AKIA${fake(`${UPPER}234567`, 16, 1)}`,
  'GitHub token': `ghp_${fake(ALNUM, 36, 2)}`,
  'GitHub fine-grained personal access token': `github_pat_${fake(ALNUM, 22, 3)}_${fake(ALNUM, 59, 4)}`,
  'GitLab personal access token': `glpat-${fake(`${ALNUM}_-`, 20, 5)}`,
  'Slack token': `xoxb-${fake('0123456789', 12, 6)}-${fake('0123456789', 13, 7)}-${fake(ALNUM, 24, 8)}`,
  'Slack webhook URL': `https://hooks.slack.com/services/T${fake(`${UPPER}0123456789`, 8, 9)}/B${fake(`${UPPER}0123456789`, 10, 10)}/${fake(ALNUM, 24, 11)}`,
  'PEM private key': `-----BEGIN RSA PRIVATE KEY-----\n${pemBody}\n-----END RSA PRIVATE KEY-----\n`,
  'Google API key': `AIza${fake(`${ALNUM}_-`, 35, 12)}`,
  'Stripe live secret key': `sk_live_${fake(ALNUM, 24, 13)}`,
  'npm access token': `npm_${fake(ALNUM, 36, 14)}`,
  'PyPI API token': `pypi-AgEIcHlwaS5vcmc${fake(`${ALNUM}_-`, 60, 15)}`,
  'SendGrid API key': `SG.${fake(`${ALNUM}_-`, 22, 16)}.${fake(`${ALNUM}_-`, 43, 17)}`,
  'Azure storage account key': `DefaultEndpointsProtocol=https;AccountName=app;AccountKey=${fake(`${ALNUM}+/`, 86, 18)}==;EndpointSuffix=core.windows.net`,
}

const AWS = TOKENS['AWS access key ID'] as string
const GITHUB = TOKENS['GitHub token'] as string
const GITLAB = TOKENS['GitLab personal access token'] as string
const SLACK_HOOK = TOKENS['Slack webhook URL'] as string
const PEM = TOKENS['PEM private key'] as string
const NPM = TOKENS['npm access token'] as string

function configMap(data: Record<string, string>): string {
  return stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data })
}

describe('secret-pattern', () => {
  ruleCases(secretPattern, [
    {
      name: 'fires on an AWS key inside a ConfigMap file, naming the type and the field',
      text: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: aws
        data:
          credentials.ini: |
            [default]
            aws_access_key_id = ${AWS}
      `,
      expected: [
        { message: 'Credential committed in data["credentials.ini"]: AWS access key ID.', path: 'data["credentials.ini"]', container: null, line: 6 },
      ],
    },
    {
      name: 'fires in env values, args and annotations; list items by name, else by index',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bot
          annotations:
            alerts.example.com/webhook: ${SLACK_HOOK}
        spec:
          template:
            spec:
              containers:
                - name: app
                  args: [--verbose, "--token=${GITLAB}"]
                  env:
                    - name: GITHUB_TOKEN
                      value: ${GITHUB}
      `,
      expected: [
        {
          message: 'Credential committed in metadata.annotations["alerts.example.com/webhook"]: Slack webhook URL.',
          path: 'metadata.annotations["alerts.example.com/webhook"]',
          container: null,
          line: 6,
        },
        {
          message: 'Credential committed in spec.template.spec.containers[name=app].args[1]: GitLab personal access token.',
          path: 'spec.template.spec.containers[name=app].args[1]',
          container: null,
          line: 12,
        },
        {
          message: 'Credential committed in spec.template.spec.containers[name=app].env[name=GITHUB_TOKEN].value: GitHub token.',
          path: 'spec.template.spec.containers[name=app].env[name=GITHUB_TOKEN].value',
          container: null,
          line: 15,
        },
      ],
    },
    {
      name: 'fires on a PEM private key in base64 Secret data, decoding it first',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: tls
        type: kubernetes.io/tls
        data:
          tls.crt: ${base64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')}
          tls.key: ${base64(PEM)}
      `,
      expected: [
        { message: 'Credential committed in data["tls.key"] (base64-encoded): PEM private key.', path: 'data["tls.key"]', container: null, line: 8 },
      ],
    },
    {
      name: 'fires once per string, listing every format in it',
      text: configMap({ '.npmrc': `//registry.npmjs.org/:_authToken=${NPM}\n# ci: ${GITHUB}\n` }),
      expected: [
        {
          message: 'Credential committed in data[".npmrc"]: GitHub token and npm access token.',
          path: 'data[".npmrc"]',
          container: null,
          line: 6,
        },
      ],
    },
    {
      name: 'fires on a PEM key in stringData and in a JSON service account key with escaped newlines',
      text: stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'gcp' },
        stringData: {
          'key.json': JSON.stringify({ type: 'service_account', private_key: PEM.replace('RSA ', '') }),
        },
      }),
      expected: [
        { message: 'Credential committed in stringData["key.json"]: PEM private key.', path: 'stringData["key.json"]', container: null, line: 6 },
      ],
    },
    {
      name: 'does not fire on near misses',
      text: configMap({
        awsShort: `AKIA${fake(UPPER, 15, 20)}`,
        awsLong: `AKIA${fake(UPPER, 17, 21)}`,
        awsInWord: `XAKIA${fake(UPPER, 16, 22)}`,
        awsLower: `akia${fake('abcdefghijklmnop', 16, 23)}`,
        awsDocs: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
        blob: fake(`${ALNUM}+/`, 120, 24),
        githubShort: `ghp_${fake(ALNUM, 10, 25)}`,
        githubLong: `ghp_${fake(ALNUM, 40, 26)}`,
        githubPrefixOnly: 'tokens look like ghp_…; set GITHUB_TOKEN',
        gitlabShort: `glpat-${fake(ALNUM, 10, 27)}`,
        slackNoDigits: 'xoxb-not-a-real-token-just-text',
        stripeTest: `sk_test_${fake(ALNUM, 24, 28)}`,
        googleShort: `AIza${fake(ALNUM, 30, 29)}`,
        npmShort: `npm_${fake(ALNUM, 20, 30)}`,
        prose: 'Mount the PRIVATE KEY from a Secret; never paste a private key here.',
        placeholder: '-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----\n',
        publicKey: `-----BEGIN PUBLIC KEY-----\n${pemBody}\n-----END PUBLIC KEY-----\n`,
        certificate: `-----BEGIN CERTIFICATE-----\n${pemBody}\n-----END CERTIFICATE-----\n`,
        sops: 'ENC[AES256_GCM,data:Qk9VTkRBUlkK,iv:aXYK,tag:dGFnCg==,type:str]',
      }),
      expected: [],
    },
    {
      name: 'does not fire on Secret data that is not base64, and does not throw on other types',
      text: yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: odd
        data:
          a: "not base64 !"
          b: 12
          c: [x, { y: null }]
        ---
        apiVersion: v1
        kind: List
        items: []
      `,
      expected: [],
    },
  ])

  it('knows every format it claims, alone in a string and inside text', () => {
    for (const [type, token] of Object.entries(TOKENS)) {
      expect(credentialsIn(token), type).toEqual([type])
      expect(credentialsIn(`prefix "${token}", suffix`), type).toEqual([type])
    }
  })

  it('decodes Secret data, but only Secret data', () => {
    expect(findingsOf(secretPattern, configMap({ key: base64(GITHUB) }))).toEqual([])
    const secret = stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: base64(GITHUB) } })
    expect(findingsOf(secretPattern, secret).map((f) => f.message)).toEqual([
      'Credential committed in data.token (base64-encoded): GitHub token.',
    ])
  })

  it('names a list item by its index where its name is itself a credential', () => {
    const text = stringify({
      apiVersion: 'example.com/v1',
      kind: 'Tokens',
      metadata: { name: 't' },
      spec: { tokens: [{ name: GITHUB }] },
    })
    expect(findingsOf(secretPattern, text).map((f) => f.path)).toEqual(['spec.tokens[0].name'])
  })

  it('finds a credential added to an edited copy of an object it found clean (collections are shared between them)', () => {
    const resource = (object: JsonObject): Resource => ({
      ...({} as Resource),
      identity: { group: '', kind: 'ConfigMap', namespace: 'default', name: 'c' },
      object,
    })
    const original: JsonObject = { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'plain' }, nested: { deep: { list: ['x'] } } }
    expect(secretPattern.check(resource(original))).toEqual([])
    const edited = applyEditsToJson(original, [{ op: 'append', path: ['nested', 'deep', 'list'], value: GITHUB }])
    expect(edited?.data).toBe(original.data) // untouched collections are the same objects
    expect(secretPattern.check(resource(edited as JsonObject)).map((v) => v.path)).toEqual([['nested', 'deep', 'list', 1]])
  })

  it('never shows any part of a credential in a finding', () => {
    const text = configMap(Object.fromEntries(Object.entries(TOKENS).map(([type, token], i) => [`key-${i}`, `${type}: ${token}`])))
    const secret = stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { note: AWS } },
      data: Object.fromEntries(Object.values(TOKENS).map((token, i) => [`k${i}`, base64(token)])),
    })
    const findings = evaluateYaml(`${text}---\n${secret}`, [secretPattern])
    expect(findings).toHaveLength(2 * Object.keys(TOKENS).length + 1)
    const shown = JSON.stringify(findings)
    for (const token of Object.values(TOKENS)) {
      const secretPart = token.includes('PRIVATE KEY') ? pemBody.replace(/\n/g, '') : token
      for (let i = 0; i + 8 <= secretPart.length; i++) {
        const window = secretPart.slice(i, i + 8)
        if (shown.includes(window)) throw new Error(`a finding shows "${window}" of a credential`)
      }
      expect(shown).not.toContain(base64(token).slice(0, 12))
    }
  })
})

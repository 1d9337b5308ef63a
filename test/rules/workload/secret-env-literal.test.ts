import { describe, expect, it } from 'vitest'
import { isCredentialName, isLiteralCredential, nameWords, secretEnvLiteral } from '../../../src/rules/workload/secret-env-literal.js'
import { evaluateYaml, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const message = (container: string, name: string) =>
  `Container "${container}" sets ${name} to a literal value; a credential belongs in a Secret.`

/** A Pod whose container `app` sets one variable; the value is on line 10. */
function withEnv(name: string, value: string): string {
  return pod(`
    containers:
      - name: app
        env:
          - name: ${JSON.stringify(name)}
            value: ${JSON.stringify(value)}
  `)
}

describe('secret-env-literal', () => {
  describe('credential names', () => {
    it.each([
      'DB_PASSWORD',
      'db_password',
      'dbPassword',
      'MYSQL_ROOT_PASSWORD',
      'PGPASSWORD',
      'REDIS_PASSWD',
      'GPG_PASSPHRASE',
      'CLIENT_SECRET',
      'clientSecret',
      'JWT_SECRET',
      'SECRETS',
      'GITHUB_TOKEN',
      'auth-token',
      'SLACK_AUTHTOKEN',
      'API_KEY',
      'apiKey',
      'STRIPE_APIKEY',
      'APIKey',
      'PRIVATE_KEY',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'SECRET_KEY_BASE',
      'ENCRYPTION_KEY',
      'SIGNING_KEYS',
      'DB_CREDENTIALS',
      'REGISTRY_CREDENTIAL',
      'DB_CREDS',
      'BASIC_AUTH',
      'PROXY_AUTHORIZATION',
      'RABBITMQ_DEFAULT_PASS',
      'MYSQL_PWD',
      'PASSWORD_HASH',
      'app.password',
    ])('%s says credential', (name) => {
      expect(isCredentialName(name)).toBe(true)
    })

    it.each([
      'PASSWORD_FILE',
      'DB_PASSWORD_FILE',
      'TOKEN_PATH',
      'SECRETS_DIR',
      'TOKEN_URL',
      'OAUTH_TOKEN_ENDPOINT',
      'SECRET_NAME',
      'TLS_SECRET_NAMESPACE',
      'SECRET_ARN',
      'TOKEN_TTL',
      'TOKEN_TYPE',
      'AUTH_ENABLED',
      'PASSWORD_MIN_LENGTH',
      'MAX_TOKENS',
      'MAX_TOKEN',
      'TOKENIZERS_PARALLELISM',
      'AUTH_MODE',
      'PASS_THROUGH',
      'BYPASS',
      'PWD',
      'CACHE_KEY',
      'PARTITION_KEY',
      'DATABASE_URL',
      'USERNAME',
      'PASSWORDLESS_LOGIN',
      '',
      '___',
    ])('%j does not', (name) => {
      expect(isCredentialName(name)).toBe(false)
    })

    it('splits names at separators and case changes', () => {
      expect(nameWords('dbPassword')).toEqual(['DB', 'PASSWORD'])
      expect(nameWords('APIKey')).toEqual(['API', 'KEY'])
      expect(nameWords('aws.secret-access_KEY')).toEqual(['AWS', 'SECRET', 'ACCESS', 'KEY'])
    })
  })

  describe('literal values', () => {
    it.each(['hunter2', 'p@ss w0rd', '123456', 'changeme', 'Bearer abc', 'C:\\secrets\\key'])('%j may be a credential', (value) => {
      expect(isLiteralCredential(value)).toBe(true)
    })

    it.each([
      '',
      '   ',
      'true',
      'False',
      '0',
      'enabled',
      '$(DB_PASSWORD_FROM_SECRET)',
      'user:$(DB_PASSWORD)',
      '${DB_PASSWORD}',
      '{{ .Values.db.password }}',
      '/var/run/secrets/tokens/vault-token',
      '/etc/gcp/key.json',
    ])('%j is not', (value) => {
      expect(isLiteralCredential(value)).toBe(false)
    })
  })

  ruleCases(secretEnvLiteral, [
    {
      name: 'fires on a literal password, at the value, by name',
      text: withEnv('DB_PASSWORD', 'hunter2'),
      expected: [{ message: message('app', 'DB_PASSWORD'), path: 'spec.containers[name=app].env[name=DB_PASSWORD].value', container: 'app', line: 10 }],
    },
    {
      name: 'fires in init and ephemeral containers of a CronJob',
      text: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: backup
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                    - name: init
                      env:
                        - name: LOG_LEVEL
                          value: debug
                        - name: GITHUB_TOKEN
                          value: not-a-real-token
                  containers:
                    - name: app
                      env:
                        - name: PGPASSWORD
                          valueFrom:
                            secretKeyRef: { name: db, key: password }
                  ephemeralContainers:
                    - name: debug
                      env: [{ name: apiKey, value: abc123 }]
      `,
      expected: [
        {
          message: message('init', 'GITHUB_TOKEN'),
          path: 'spec.jobTemplate.spec.template.spec.initContainers[name=init].env[name=GITHUB_TOKEN].value',
          container: 'init',
          line: 17,
        },
        {
          message: message('debug', 'apiKey'),
          path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[name=debug].env[name=apiKey].value',
          container: 'debug',
          line: 26,
        },
      ],
    },
    {
      name: 'does not fire on valueFrom, an empty value, a switch, a reference or a file path',
      text: pod(`
        containers:
          - name: app
            env:
              - name: DB_PASSWORD
                valueFrom: { secretKeyRef: { name: db, key: password } }
              - name: ADMIN_PASSWORD
                value: ""
              - name: REQUIRE_AUTH
                value: "true"
              - name: PGPASSWORD
                value: $(DB_PASSWORD)
              - name: API_TOKEN
                value: \${API_TOKEN}
              - name: GOOGLE_APPLICATION_CREDENTIALS
                value: /var/secrets/google/key.json
      `),
      expected: [],
    },
    {
      name: 'does not fire on names about a credential rather than the credential',
      text: pod(`
        containers:
          - name: app
            env:
              - { name: DB_PASSWORD_FILE, value: /run/secrets/db }
              - { name: TOKEN_URL, value: "https://auth.example.com/oauth/token" }
              - { name: SECRET_NAME, value: app-tls }
              - { name: TOKEN_TTL, value: "3600" }
              - { name: MAX_TOKENS, value: "4096" }
      `),
      expected: [],
    },
    {
      name: 'wrong types read as absent, never throw',
      text: pod(`
        containers:
          - name: a
            env: { DB_PASSWORD: hunter2 }
          - name: b
            env:
              - "DB_PASSWORD=hunter2"
              - { name: 42, value: hunter2 }
              - { name: DB_PASSWORD, value: 12345 }
              - { value: hunter2 }
              - null
      `),
      expected: [],
    },
  ])

  it('never repeats the value: not in the message, the path or the violation data', () => {
    const value = 'S3cr3t-Value-9f8e7d'
    const text = pod(`
      containers:
        - name: app
          env:
            - name: DB_PASSWORD
              value: ${value}
            - name: ${'API_KEY'}
              value: "${value}"
    `)
    const findings = evaluateYaml(text, [secretEnvLiteral])
    expect(findings).toHaveLength(2)
    expect(JSON.stringify(findings)).not.toContain(value)
    expect(JSON.stringify(podViolations(secretEnvLiteral, text))).not.toContain(value)
    expect(JSON.stringify(secretEnvLiteral.meta)).not.toContain(value)
  })

  it('offers no fix: the value has to move into a Secret first', () => {
    expect(podViolations(secretEnvLiteral, withEnv('DB_PASSWORD', 'hunter2')).map((v) => v.fix)).toEqual([undefined])
  })

  it('the remediation shows where the value goes', () => {
    expect(secretEnvLiteral.meta.remediation).toContain('valueFrom.secretKeyRef')
  })
})

/**
 * What the engine's outputs may show: no credential from a manifest (in a message, a path, a
 * name, or the context lines of a patch), no terminal control sequence, no workflow command.
 */
import { describe, expect, it } from 'vitest'
import type { Report } from '../../src/model.js'
import { renderJson } from '../../src/render/json.js'
import { holdsCredential, LEAKING_FIX_NOTE, redactCredentials } from '../../src/render/redact.js'
import { renderText } from '../../src/render/text.js'
import { diffFiles, scanFiles } from '../support/engine.js'

const TOKEN = `ghp_${'aB3d'.repeat(9)}`
const AWS = `AKIA${'Z9Y8'.repeat(4)}`

const outputs = (report: Report): string => renderJson(report) + renderText(report, { color: false }) + renderText(report, { color: true })

describe('redactCredentials', () => {
  it('replaces each string in a known format with the name of the format', () => {
    expect(redactCredentials(`token ${TOKEN} and key ${AWS}.`)).toBe('token [redacted GitHub token] and key [redacted AWS access key ID].')
    expect(redactCredentials(`${TOKEN}${TOKEN}`)).toBe(`${TOKEN}${TOKEN}`) // not a token: too long a run
    expect(holdsCredential(`data.${TOKEN}`)).toBe(true)
  })

  it('leaves documentation examples and ordinary text alone', () => {
    for (const text of ['AKIAIOSFODNN7EXAMPLE', 'ghp_short', 'spec.containers[name=app]', '']) expect(redactCredentials(text)).toBe(text)
  })
})

describe('no credential in any output', () => {
  it('not in a field path, a message, an object or container name, nor a kind', async () => {
    const report = await scanFiles(
      {
        'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "${AWS}"\ndata:\n  ${TOKEN}: ${TOKEN}\n`,
        'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: ${TOKEN}\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n`,
        'kind.yaml': `apiVersion: v1\nkind: "${TOKEN}"\nmetadata:\n  name: k\ndata:\n  x: ${AWS}\n`,
      },
      'all',
    )
    const text = outputs(report)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(AWS)
    const secret = report.findings.filter((f) => f.ruleId === 'secret-pattern')
    expect(secret.map((f) => `${f.file} ${f.path}`).sort()).toEqual([
      'cm.yaml data.[redacted GitHub token]',
      'cm.yaml metadata.name',
      'kind.yaml data.x',
      'kind.yaml kind',
      // secret-pattern names a list item by its index where its name is the credential
      'pod.yaml spec.containers[0].name',
    ])
    const privileged = report.findings.find((f) => f.ruleId === 'pss-privileged')
    expect(privileged?.container).toBe('[redacted GitHub token]')
    expect(privileged?.message).toBe('Container "[redacted GitHub token]" runs privileged.')
  })

  it('findings of the secret rules carry no fix', async () => {
    const report = await scanFiles(
      {
        's.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: ${TOKEN}\n`,
        'd.yaml': deploymentWithEnv([{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }], 0),
      },
      'all',
    )
    const secret = report.findings.filter((f) => f.ruleId.startsWith('secret-'))
    expect(secret.map((f) => f.ruleId).sort()).toEqual(['secret-env-literal', 'secret-in-manifest', 'secret-pattern'])
    expect(secret.every((f) => f.fix === null)).toBe(true)
  })

  it('withholds a fix whose patch would show a line a secret rule found a credential on', async () => {
    // the password is in no known format: only the secret-env-literal finding says it is one
    const near = await diffFiles(
      { 'd.yaml': deploymentWithEnv([{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }], 0, false) },
      { 'd.yaml': deploymentWithEnv([{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }], 0) },
      { rules: 'all' },
    )
    const privileged = near.findings.find((f) => f.ruleId === 'pss-privileged')
    expect(privileged?.fix).toBeNull()
    expect(privileged?.fixNote).toBe(LEAKING_FIX_NOTE)
    expect(outputs(near)).not.toContain('hunter2')

    // the same password far from the change: the patch does not reach it, the fix is offered
    const far = await diffFiles(
      { 'd.yaml': deploymentWithEnv([{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }], 12, false) },
      { 'd.yaml': deploymentWithEnv([{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }], 12) },
      { rules: 'all' },
    )
    const offered = far.findings.find((f) => f.ruleId === 'pss-privileged')
    expect(offered?.fix?.patch).toMatch(/privileged: false|-\s+privileged: true/)
    expect(offered?.fix?.patch).not.toContain('hunter2')
  })

  it('withholds a fix whose patch would quote a string in a credential format, even with the secret rules off', async () => {
    const base = deploymentWithEnv([{ name: 'GREETING', value: `say ${TOKEN}` }], 0, false)
    const head = deploymentWithEnv([{ name: 'GREETING', value: `say ${TOKEN}` }], 0)
    const report = await diffFiles({ 'd.yaml': base }, { 'd.yaml': head })
    const privileged = report.findings.find((f) => f.ruleId === 'pss-privileged')
    expect(privileged?.fixNote).toBe(LEAKING_FIX_NOTE)
    expect(outputs(report)).not.toContain(TOKEN)
  })
})

describe('text output is inert', () => {
  it('neutralises control characters in every untrusted field, the kind included', async () => {
    const report = await scanFiles({
      'a\u001b[2Jb.yaml': `apiVersion: v1\nkind: "Pod\\u001b]0;title\\u0007"\nmetadata:\n  name: "n\\u009b31m"\nspec:\n  hostNetwork: true\n`,
      'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\\u001b[31m\\ny"\n  namespace: "\\r"\nspec:\n  hostNetwork: true\n',
    })
    const text = renderText(report, { color: false })
    // eslint-disable-next-line no-control-regex
    expect(text.match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g)).toBeNull()
  })

  it('never starts a line with a workflow command, whatever a file name or a patched line says', async () => {
    const forged = '::error file=x.yaml::forged'
    const pod = (privileged: boolean): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: "1"\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    env:\n    - {name: X, value: "1"}\n    securityContext:\n      privileged: ${privileged}\n`
    const report = await diffFiles(
      { [`${forged}.yaml`]: pod(false), 'b.yaml': pod(false) },
      { [`${forged}.yaml`]: pod(true), 'b.yaml': pod(true).replace('  annotations:\n    a: "1"\n', `  annotations:\n    a: "1"\n${forged}: 1\n`) },
    )
    const text = renderText(report, { color: false })
    expect(text).toContain('forged')
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([])
    expect(renderText(report, { color: true }).split('\n').filter((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trimStart().startsWith('::'))).toEqual([])
  })
})

/** A Deployment whose container sets `env` first, then `padding` ports, then (at head) privileged: true. */
function deploymentWithEnv(env: { name: string; value: string }[], padding: number, privileged = true): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: d',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: nginx:1.27',
    '        env:',
    ...env.flatMap((e) => [`        - name: ${e.name}`, `          value: ${JSON.stringify(e.value)}`]),
    ...(padding > 0 ? ['        ports:', ...Array.from({ length: padding }, (_, i) => `        - containerPort: ${8000 + i}`)] : []),
    '        securityContext:',
    `          privileged: ${privileged}`,
    '',
  ].join('\n')
}

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { gitIn, gitRepo } from '../helpers/revisions.js'

const HARDENED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app # serves the shop
          image: registry.example.com/shop/api@sha256:${'a'.repeat(64)}
          resources:
            limits:
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
`

/** The same workload after a change that loosens the container's security context in three ways. */
const LOOSENED = HARDENED.replace(
  `          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
`,
  `          securityContext:
            readOnlyRootFilesystem: true
            privileged: true
`,
)

async function newFindings(repo: string): Promise<{ ruleId: string }[]> {
  const run = await runCli(['diff', '--base', 'main', '--format', 'json', '--fail-on', 'none'], repo)
  expect(run.code, run.stderr).toBe(0)
  return (JSON.parse(run.stdout) as { findings: { ruleId: string; status: string }[] }).findings.filter((f) => f.status === 'new')
}

describe('kube-ratchet fix', () => {
  it('applies every verified fix of the new findings to the work tree, combining several in one file', async () => {
    const repo = gitRepo({ 'deploy/api.yaml': HARDENED }, { 'deploy/api.yaml': HARDENED })
    gitIn(repo, 'checkout', '-q', 'main')
    writeFileSync(join(repo, 'deploy/api.yaml'), LOOSENED)
    const before = await newFindings(repo)
    expect(before.map((f) => f.ruleId).sort()).toEqual([
      'pss-allow-privilege-escalation',
      'pss-capabilities-restricted',
      'pss-privileged',
    ])

    // allowPrivilegeEscalation: false cannot go on a privileged container (the API rejects it), so
    // that fix is offered only once privileged is gone: a second run finishes the job.
    const first = await runCli(['fix', '--base', 'main'], repo)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^fixed {3}deploy\/api\.yaml:\d+ {2}pss-privileged {2}/m)
    expect(first.stdout).toMatch(/^fixed {3}deploy\/api\.yaml:\d+ {2}pss-capabilities-restricted {2}/m)
    expect(first.stdout).toMatch(/^2 fixed in 1 file\(s\) · 1 new finding\(s\) without a verified fix$/m)
    const second = await runCli(['fix', '--base', 'main'], repo)
    expect(second.stdout).toMatch(/^1 fixed in 1 file\(s\) · 0 new finding\(s\) without a verified fix$/m)

    expect(await newFindings(repo)).toEqual([])
    const text = readFileSync(join(repo, 'deploy/api.yaml'), 'utf8')
    expect(text).toContain('- name: app # serves the shop')
    expect(text).not.toContain('privileged: true')
    expect(text).toContain('allowPrivilegeEscalation: false')
    expect(text).toContain('drop: ["ALL"]')
  })

  it('refuses to write into a git revision', async () => {
    const repo = gitRepo({ 'a.yaml': HARDENED }, { 'a.yaml': LOOSENED })
    const run = await runCli(['fix', '--base', 'main', '--head', 'feature'], repo)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--head must be a directory or left out/)
    expect(readFileSync(join(repo, 'a.yaml'), 'utf8')).toBe(LOOSENED)
  })
})

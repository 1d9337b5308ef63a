import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SANDBOX_RUNTIME_CLASSES,
  isSandboxRuntimeClass,
  runtimeClassRemoved,
  runtimeClassRemovedRule,
} from '../../../src/rules/workload/runtime-class-removed.js'
import { yaml } from '../../helpers/evaluate.js'
import { diffTrees } from '../../helpers/revisions.js'
import { transitionViolations } from './support.js'

/** A Deployment whose pod runs with `runtimeClassName` (omitted when null); that line is 14. */
function deployment(runtimeClassName: string | null, replicas = 1): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: untrusted
      namespace: jobs
    spec:
      replicas: ${replicas}
      selector:
        matchLabels: { app: untrusted }
      template:
        metadata:
          labels: { app: untrusted }
        spec:
          ${runtimeClassName === null ? '# no runtime class' : `runtimeClassName: ${runtimeClassName}`}
          containers:
            - name: app
              image: app:1.0
  `
}

const RUNTIME_CLASS_PATH = ['spec', 'template', 'spec', 'runtimeClassName']

describe('runtime-class-removed', () => {
  describe('sandbox names', () => {
    it.each(['gvisor', 'runsc', 'runsc-kvm', 'gvisor-ptrace', 'kata', 'kata-qemu', 'kata-fc', 'kata-clh', 'kata-qemu-tdx', 'kata-vm-isolation'])(
      '%s is a sandbox',
      (name) => expect(isSandboxRuntimeClass(name)).toBe(true),
    )

    it.each(['runc', 'crun', 'nvidia', 'katana', 'kata_qemu', 'gvisorx', 'GVISOR', 'Kata', ''])('%j is not', (name) =>
      expect(isSandboxRuntimeClass(name)).toBe(false),
    )

    it('exports the default list for configuration to extend', () => {
      expect(DEFAULT_SANDBOX_RUNTIME_CLASSES).toEqual(['gvisor', 'gvisor-*', 'runsc', 'runsc-*', 'kata', 'kata-*'])
      expect(isSandboxRuntimeClass('firecracker', [...DEFAULT_SANDBOX_RUNTIME_CLASSES, 'firecracker'])).toBe(true)
    })
  })

  describe('check', () => {
    it('fires when the runtime class is removed, on head, with a fix restoring it for review', () => {
      expect(transitionViolations(runtimeClassRemoved, deployment('gvisor'), deployment(null))).toEqual([
        {
          on: 'head',
          messageId: 'removed',
          data: { base: 'gvisor' },
          path: RUNTIME_CLASS_PATH,
          fix: {
            safety: 'review',
            description: 'Run the pod in the "gvisor" sandbox again.',
            edits: [{ op: 'set', path: RUNTIME_CLASS_PATH, value: 'gvisor' }],
          },
        },
      ])
    })

    it('fires when the runtime class changes to one that is not a sandbox', () => {
      const [violation] = transitionViolations(runtimeClassRemoved, deployment('kata-qemu'), deployment('runc'))
      expect(violation).toMatchObject({ on: 'head', messageId: 'changed', data: { base: 'kata-qemu', head: 'runc' }, path: RUNTIME_CLASS_PATH })
      expect(violation?.fix?.edits).toEqual([{ op: 'set', path: RUNTIME_CLASS_PATH, value: 'kata-qemu' }])
    })

    it('treats an empty or non-string runtime class at head as removed', () => {
      expect(transitionViolations(runtimeClassRemoved, deployment('runsc'), deployment('""')).map((v) => v.messageId)).toEqual(['removed'])
      expect(transitionViolations(runtimeClassRemoved, deployment('runsc'), deployment('[runsc]')).map((v) => v.messageId)).toEqual(['removed'])
    })

    it('uses the head pod’s path (a bare Pod)', () => {
      const base = yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: p }
        spec: { runtimeClassName: gvisor, containers: [{ name: app }] }
      `
      const head = yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: p }
        spec: { containers: [{ name: app }] }
      `
      expect(transitionViolations(runtimeClassRemoved, base, head).map((v) => v.path)).toEqual([['spec', 'runtimeClassName']])
    })

    it.each([
      ['a sandbox kept', deployment('gvisor'), deployment('gvisor')],
      ['one sandbox for another', deployment('gvisor'), deployment('kata-clh')],
      ['no sandbox at base', deployment(null), deployment(null)],
      ['a non-sandbox class changed', deployment('runc'), deployment(null)],
      ['a sandbox added', deployment(null), deployment('gvisor')],
      ['a non-string runtime class at base', deployment('{ name: gvisor }'), deployment(null)],
    ])('does not fire on %s', (_name, base, head) => {
      expect(transitionViolations(runtimeClassRemoved, base, head)).toEqual([])
    })

    it('does not fire on an added or a deleted workload', () => {
      expect(transitionViolations(runtimeClassRemoved, null, deployment(null))).toEqual([])
      expect(transitionViolations(runtimeClassRemoved, deployment('gvisor'), null)).toEqual([])
    })

    it('does not fire on objects without a pod, and never throws on wrong types', () => {
      const configMap = yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: c }
        data: { runtimeClassName: gvisor }
      `
      expect(transitionViolations(runtimeClassRemoved, configMap, configMap)).toEqual([])
      const broken = yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: untrusted, namespace: jobs }
        spec: { template: "none" }
      `
      expect(transitionViolations(runtimeClassRemoved, deployment('gvisor'), broken)).toEqual([])
    })

    it('takes configured sandbox names', () => {
      const rule = runtimeClassRemovedRule(['secure-*'])
      expect(transitionViolations(rule, deployment('secure-vm'), deployment(null)).map((v) => v.messageId)).toEqual(['removed'])
      expect(transitionViolations(rule, deployment('gvisor'), deployment(null))).toEqual([])
    })
  })

  describe.each(['dirs', 'git'] as const)('base → head through the engine (%s)', (via) => {
    const rules = [runtimeClassRemoved]

    it('reports the removal as new, on the head file, at the pod spec that lacks it', async () => {
      const report = await diffTrees(
        { 'apps/untrusted.yaml': deployment('gvisor') },
        { 'apps/untrusted.yaml': deployment(null) },
        { via, rules },
      )
      expect(report.errors).toEqual([])
      expect(report.findings.map(({ ruleId, status, file, line, path, severity, message }) => ({ ruleId, status, file, line, path, severity, message }))).toEqual([
        {
          ruleId: 'runtime-class-removed',
          status: 'new',
          file: 'apps/untrusted.yaml',
          line: 13,
          path: 'spec.template.spec.runtimeClassName',
          severity: 'high',
          message: 'The pod ran in the sandbox runtime "gvisor" and now runs without a RuntimeClass.',
        },
      ])
    })

    it('reports a change to a non-sandbox at the runtimeClassName line', async () => {
      const report = await diffTrees(
        { 'untrusted.yaml': deployment('kata-fc') },
        { 'untrusted.yaml': deployment('runc') },
        { via, rules },
      )
      expect(report.findings.map(({ status, file, line, message }) => ({ status, file, line, message }))).toEqual([
        {
          status: 'new',
          file: 'untrusted.yaml',
          line: 14,
          message: 'The pod ran in the sandbox runtime "kata-fc" and now runs in "runc", which is not a sandbox.',
        },
      ])
    })

    it('follows a workload moved to another file', async () => {
      const report = await diffTrees(
        { 'old/untrusted.yaml': deployment('gvisor') },
        { 'new/untrusted.yaml': deployment(null) },
        { via, rules },
      )
      expect(report.findings.map(({ status, file, line }) => ({ status, file, line }))).toEqual([{ status: 'new', file: 'new/untrusted.yaml', line: 13 }])
    })

    it('reports nothing for an unrelated change to a sandboxed workload', async () => {
      const report = await diffTrees(
        { 'untrusted.yaml': deployment('gvisor', 1) },
        { 'untrusted.yaml': deployment('gvisor', 3) },
        { via, rules },
      )
      expect(report.errors).toEqual([])
      expect(report.findings).toEqual([])
    })

    it('reports nothing when the sandboxed workload is deleted', async () => {
      const report = await diffTrees({ 'untrusted.yaml': deployment('gvisor') }, {}, { via, rules })
      expect(report.findings).toEqual([])
    })
  })
})

/** Pod templates of custom resources: the built-in CRDs, and `podTemplates:` for others. */
import { describe, expect, it } from 'vitest'
import { BUILTIN_POD_TEMPLATES, podTemplateOf } from '../../src/extract/pod-template.js'
import { evaluateObjects } from '../helpers/evaluate.js'
import { configOf, run, yaml } from './support.js'

/** The pod spec every case embeds, indented to sit under `template:` at `indent` spaces. */
function podTemplate(indent: number): string[] {
  const pad = ' '.repeat(indent)
  return [
    `${pad}metadata:`,
    `${pad}  labels: {app: web}`,
    `${pad}spec:`,
    `${pad}  hostPID: true`,
    `${pad}  containers:`,
    `${pad}  - name: web`,
    `${pad}    image: nginx:1.27`,
    `${pad}    securityContext:`,
    `${pad}      privileged: true`,
  ]
}

interface Case {
  name: string
  text: string
  /** the display path of the pod spec */
  spec: string
  /** lines of `hostPID: true` and `privileged: true` */
  lines: [number, number]
}

const CASES: Case[] = [
  {
    name: 'Argo Rollouts Rollout',
    text: yaml(
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Rollout',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 3',
      '  strategy:',
      '    canary: {steps: [{setWeight: 20}]}',
      '  template:',
      ...podTemplate(4),
    ),
    spec: 'spec.template.spec',
    lines: [13, 18],
  },
  {
    name: 'Knative Service',
    text: yaml(
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      ...podTemplate(4),
    ),
    spec: 'spec.template.spec',
    lines: [10, 15],
  },
  {
    name: 'OpenKruise CloneSet',
    text: yaml(
      'apiVersion: apps.kruise.io/v1alpha1',
      'kind: CloneSet',
      'metadata:',
      '  name: web',
      'spec:',
      '  updateStrategy: {type: InPlaceIfPossible}',
      '  template:',
      ...podTemplate(4),
    ),
    spec: 'spec.template.spec',
    lines: [11, 16],
  },
  {
    name: 'OpenKruise Advanced StatefulSet',
    text: yaml(
      'apiVersion: apps.kruise.io/v1beta1',
      'kind: StatefulSet',
      'metadata:',
      '  name: web',
      'spec:',
      '  serviceName: web',
      '  template:',
      ...podTemplate(4),
    ),
    spec: 'spec.template.spec',
    lines: [11, 16],
  },
  {
    name: 'OpenKruise Advanced DaemonSet',
    text: yaml(
      'apiVersion: apps.kruise.io/v1alpha1',
      'kind: DaemonSet',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      ...podTemplate(4),
    ),
    spec: 'spec.template.spec',
    lines: [10, 15],
  },
  {
    name: 'KEDA ScaledJob',
    text: yaml(
      'apiVersion: keda.sh/v1alpha1',
      'kind: ScaledJob',
      'metadata:',
      '  name: web',
      'spec:',
      '  pollingInterval: 30',
      '  jobTargetRef:',
      '    backoffLimit: 2',
      '    template:',
      ...podTemplate(6),
      '  triggers:',
      '  - type: rabbitmq',
      '    metadata: {queueName: jobs}',
    ),
    spec: 'spec.jobTargetRef.template.spec',
    lines: [13, 18],
  },
]

describe('built-in pod templates of custom resources', () => {
  for (const { name, text, spec, lines } of CASES) {
    it(`${name}: Pod Security findings fire, on the right paths and lines`, async () => {
      const report = await run(null, { 'web.yaml': text })
      const found = report.findings
        .filter((f) => ['pss-privileged', 'pss-host-namespaces'].includes(f.ruleId))
        .map((f) => ({ ruleId: f.ruleId, path: f.path, line: f.line, container: f.container, status: f.status }))
      expect(found).toEqual([
        { ruleId: 'pss-privileged', path: `${spec}.containers[name=web].securityContext.privileged`, line: lines[1], container: 'web', status: 'new' },
        { ruleId: 'pss-host-namespaces', path: `${spec}.hostPID`, line: lines[0], container: null, status: 'new' },
      ].sort((a, b) => a.line - b.line))
      // restricted checks fire too, and the posture is the pod's
      expect(report.findings.some((f) => f.ruleId === 'pss-run-as-non-root')).toBe(true)
    })

    it(`${name}: the change from base to head is followed`, async () => {
      const fixed = text.replace('      privileged: true', '      privileged: false')
      const report = await run({ 'web.yaml': text }, { 'web.yaml': fixed })
      expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.status)).toEqual(['fixed'])
      expect(report.postures).toEqual([expect.objectContaining({ base: 'privileged', head: 'privileged' })])
    })
  }

  it('covers exactly these custom resources', () => {
    const crds = [...BUILTIN_POD_TEMPLATES.keys()].filter((key) => key.includes('.') && !key.startsWith('extensions/'))
    expect(crds.sort()).toEqual([
      'apps.kruise.io/CloneSet',
      'apps.kruise.io/DaemonSet',
      'apps.kruise.io/StatefulSet',
      'argoproj.io/Rollout',
      'keda.sh/ScaledJob',
      'serving.knative.dev/Service',
    ])
  })

  it('a Rollout that refers to a Deployment with workloadRef has no pod of its own', () => {
    const [object] = evaluateObjects(
      yaml(
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Rollout',
        'metadata:',
        '  name: web',
        'spec:',
        '  workloadRef:',
        '    apiVersion: apps/v1',
        '    kind: Deployment',
        '    name: web',
      ),
    )
    expect(object?.findings).toEqual([])
    expect(object?.posture).toBeNull()
    expect(podTemplateOf(object!.resource)).toBeNull()
  })

  it('a core Service is not taken for a Knative one', async () => {
    const report = await run(null, {
      'svc.yaml': yaml('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  template:', ...podTemplate(4)),
    })
    expect(report.findings.filter((f) => f.ruleId.startsWith('pss-'))).toEqual([])
  })

  it('suppression annotations on a CRD’s pod template count', async () => {
    const text = CASES[1]!.text.replace('    metadata:\n', '    metadata:\n      annotations:\n        kube-ratchet.io/ignore: "pss-privileged: needs the GPU device"\n')
    const report = await run(null, { 'web.yaml': text })
    expect(report.findings.map((f) => f.ruleId)).not.toContain('pss-privileged')
    expect(report.suppressed.map((f) => [f.ruleId, f.suppressedBy?.line])).toEqual([['pss-privileged', 9]])
  })
})

describe('podTemplates: in the configuration', () => {
  const WORKER = yaml(
    'apiVersion: batch.example.com/v2',
    'kind: Worker',
    'metadata:',
    '  name: crunch',
    '  namespace: jobs',
    'spec:',
    '  workerTemplate:',
    '    metadata:',
    '      labels: {app: crunch}',
    '    spec:',
    '      hostNetwork: true',
    '      containers:',
    '      - name: crunch',
    '        image: crunch:2',
  )
  const CONFIG = yaml('podTemplates:', '  - apiVersion: batch.example.com/v2', '    kind: Worker', '    path: spec.workerTemplate')

  it('checks a custom resource’s pod at the configured path', async () => {
    const report = await run(null, { 'worker.yaml': WORKER }, { config: CONFIG })
    expect(report.findings.filter((f) => f.ruleId === 'pss-host-namespaces').map((f) => `${f.path}:${f.line}`)).toEqual([
      'spec.workerTemplate.spec.hostNetwork:11',
    ])
  })

  it('is needed: without it the custom resource has no pod', async () => {
    const report = await run(null, { 'worker.yaml': WORKER })
    expect(report.findings.filter((f) => f.ruleId.startsWith('pss-'))).toEqual([])
  })

  it('matches the API group, whatever the version', async () => {
    const report = await run(null, { 'worker.yaml': WORKER.replace('batch.example.com/v2', 'batch.example.com/v1beta1') }, { config: CONFIG })
    expect(report.findings.some((f) => f.ruleId === 'pss-host-namespaces')).toBe(true)
    const other = await run(null, { 'worker.yaml': WORKER.replace('batch.example.com/v2', 'other.example.com/v2') }, { config: CONFIG })
    expect(other.findings.some((f) => f.ruleId === 'pss-host-namespaces')).toBe(false)
  })

  it('can move a built-in kind’s template elsewhere', () => {
    const config = configOf(yaml('podTemplates:', '  - apiVersion: argoproj.io/v1alpha1', '    kind: Rollout', '    path: spec.podTemplate'))
    expect(config.podTemplates).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', path: ['spec', 'podTemplate'] }])
  })
})

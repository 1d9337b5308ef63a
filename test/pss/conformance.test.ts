import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { PSS_CHECK_IDS, type JsonObject, type PssCheckId } from '../../src/model.js'
import { evaluateObjects, PSS_RULES } from '../helpers/evaluate.js'

/**
 * The upstream Pod Security Admission fixtures (policy 1.37), each as a bare Pod and wrapped in a
 * Deployment and a CronJob, judged the way upstream judges them. See test/fixtures/pss/README.md.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/pss/', import.meta.url))
const LEVELS = ['baseline', 'restricted'] as const
const OUTCOMES = ['pass', 'fail'] as const

/** `seccompprofile_restricted3.yaml` → `seccompProfile_restricted`; null for `base*.yaml`. */
function namedCheck(file: string): PssCheckId | null {
  const stem = file.replace(/\d*\.yaml$/, '')
  return PSS_CHECK_IDS.find((id) => id.toLowerCase() === stem) ?? null
}

/**
 * Restricted replaces four baseline checks. Each offending field is reported once, by the most
 * severe check that catches it, so a fixture named after one of a pair may be reported by the other
 * (an `Unconfined` profile in a `seccompprofile_restricted` fixture is seccompProfile_baseline's).
 */
const COUNTERPART: Partial<Record<PssCheckId, PssCheckId>> = {
  capabilities_baseline: 'capabilities_restricted',
  capabilities_restricted: 'capabilities_baseline',
  hostPathVolumes: 'restrictedVolumes',
  restrictedVolumes: 'hostPathVolumes',
  seccompProfile_baseline: 'seccompProfile_restricted',
  seccompProfile_restricted: 'seccompProfile_baseline',
  procMount: 'procMount_restricted',
  procMount_restricted: 'procMount',
}

const LEVEL_OF = new Map(
  PSS_RULES.flatMap((rule) => (rule.meta.pss ? [[rule.meta.pss.check, rule.meta.pss.level] as const] : [])),
)

type Wrapping = (pod: JsonObject, podText: string) => string

const WRAPPINGS: Record<'Pod' | 'Deployment' | 'CronJob', Wrapping> = {
  Pod: (_pod, podText) => podText,
  Deployment: (pod) =>
    stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: podName(pod), namespace: 'conformance' },
      spec: {
        selector: { matchLabels: { app: podName(pod) } },
        template: { metadata: templateMetadata(pod), spec: pod.spec },
      },
    }),
  CronJob: (pod) =>
    stringify({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: podName(pod), namespace: 'conformance' },
      spec: {
        schedule: '0 * * * *',
        jobTemplate: { spec: { template: { metadata: templateMetadata(pod), spec: pod.spec } } },
      },
    }),
}

function podName(pod: JsonObject): string {
  return String((pod.metadata as JsonObject).name)
}

/** The pod's metadata minus its name (templates carry none), with a label for the selector. */
function templateMetadata(pod: JsonObject): JsonObject {
  const { name, ...rest } = pod.metadata as JsonObject
  return { ...rest, labels: { ...((rest.labels as JsonObject | undefined) ?? {}), app: String(name) } }
}

const cases = LEVELS.flatMap((level) =>
  OUTCOMES.flatMap((outcome) =>
    readdirSync(`${FIXTURES}${level}/${outcome}`)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => ({ level, outcome, file, text: readFileSync(`${FIXTURES}${level}/${outcome}/${file}`, 'utf8') })),
  ),
)

it('finds all 148 upstream fixtures', () => {
  expect(cases).toHaveLength(148)
  for (const { file, outcome } of cases) {
    if (outcome === 'fail') expect(namedCheck(file), file).not.toBeNull()
  }
})

describe.each(Object.entries(WRAPPINGS))('as a %s', (kind, wrap) => {
  it.each(cases.map((c) => [`${c.level}/${c.outcome}/${c.file}`, c] as const))('%s', (_label, c) => {
    const objects = evaluateObjects(wrap(parse(c.text) as JsonObject, c.text), PSS_RULES, c.file)
    expect(objects).toHaveLength(1)
    const [object] = objects
    expect(object?.resource.identity.kind).toBe(kind)
    const findings = object?.findings ?? []
    const checks = new Set(findings.map((finding) => finding.pssCheck))
    const baselineFindings = findings.filter(
      (finding) => finding.pssCheck && LEVEL_OF.get(finding.pssCheck) === 'baseline',
    )
    const named = namedCheck(c.file)
    const accepted = named ? [named, ...(COUNTERPART[named] ? [COUNTERPART[named]] : [])] : []

    if (c.level === 'baseline' && c.outcome === 'fail') {
      expect(baselineFindings.length).toBeGreaterThan(0)
      expect([...checks]).toContain(named)
      expect(object?.posture).toBe('privileged')
    } else if (c.level === 'baseline') {
      expect(baselineFindings.map((finding) => finding.ruleId)).toEqual([])
      expect(object?.posture).not.toBe('privileged')
    } else if (c.outcome === 'fail') {
      expect(findings.length).toBeGreaterThan(0)
      const reported = [...checks].join(', ')
      expect(accepted.some((check) => checks.has(check)), `${reported} has none of ${accepted.join(', ')}`).toBe(true)
      expect(object?.posture).not.toBe('restricted')
    } else {
      expect(findings.map((finding) => `${finding.ruleId} ${finding.path}`)).toEqual([])
      expect(object?.posture).toBe('restricted')
    }
  })
})

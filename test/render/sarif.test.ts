import { describe, expect, it } from 'vitest'
import { renderSarif, toSarif } from '../../src/render/sarif.js'
import { VERSION } from '../../src/version.js'
import { finding, fix, report } from '../report/fixtures.js'

interface SarifLog {
  $schema: string
  version: string
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] } }
    results: {
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; endLine: number } } }[]
      partialFingerprints: Record<string, string>
      fixes?: { description: { text: string }; artifactChanges: { replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[] }[] }[]
    }[]
  }[]
}

const context = { actionRepository: 'kube-ratchet/kube-ratchet' }

describe('SARIF 2.1.0', () => {
  const r = report([
    finding({ line: 12, endLine: 13, fingerprint: 'fp-critical', fix: fix(12, '            privileged: false') }),
    finding({ ruleId: 'pss-host-namespaces', severity: 'high', message: 'The pod sets hostNetwork: true.', container: null, fingerprint: 'fp-high' }),
    finding({ ruleId: 'readonly-rootfs-missing', severity: 'low', file: 'dir with space/a.yaml', fingerprint: 'fp-low' }),
    finding({ status: 'fixed', ruleId: 'pss-run-as-user', fingerprint: 'fp-fixed' }),
    finding({ status: 'unchanged', ruleId: 'pss-sysctls', fingerprint: 'fp-unchanged' }),
  ])
  const log = toSarif(r, context) as SarifLog
  const run = log.runs[0]

  it('has the schema, version and one run with the tool', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    expect(run?.tool.driver).toMatchObject({ name: 'kube-ratchet', version: VERSION, informationUri: 'https://github.com/kube-ratchet/kube-ratchet' })
  })

  it('lists each rule of a new finding once, with its page and level', () => {
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(['pss-host-namespaces', 'pss-privileged', 'readonly-rootfs-missing'])
    const privileged = run?.tool.driver.rules.find((rule) => rule.id === 'pss-privileged')
    expect(privileged).toMatchObject({
      helpUri: 'https://github.com/kube-ratchet/kube-ratchet/blob/main/docs/rules/pss-privileged.md',
      shortDescription: { text: 'Privileged container' },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5' },
    })
  })

  it('reports the new findings only, with rule, level, location and fingerprint', () => {
    expect(run?.results.map((res) => [res.ruleId, res.level])).toEqual([
      ['pss-privileged', 'error'],
      ['pss-host-namespaces', 'error'],
      ['readonly-rootfs-missing', 'note'],
    ])
    const [first, , third] = run?.results ?? []
    expect(first?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'payments/api.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, endLine: 13 },
    })
    expect(first?.message.text).toBe('Container "app" runs privileged. (Deployment shop/api)')
    expect(first?.partialFingerprints).toEqual({ 'kubeRatchet/v1': 'fp-critical' })
    expect(third?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/a.yaml')
    for (const res of run?.results ?? []) expect(run?.tool.driver.rules[res.ruleIndex]?.id).toBe(res.ruleId)
  })

  it('carries the verified fix as whole-line replacements', () => {
    expect(run?.results[0]?.fixes).toEqual([
      {
        description: { text: 'Remove privileged: true.' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'payments/api.yaml', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 12, startColumn: 1, endLine: 13, endColumn: 1 }, insertedContent: { text: '            privileged: false\n' } }],
          },
        ],
      },
    ])
    expect(run?.results[1]?.fixes).toBeUndefined()
  })

  it('is valid JSON with a final newline, and empty results when nothing is new', () => {
    expect(JSON.parse(renderSarif(r, context))).toEqual(log)
    expect(renderSarif(r, context).endsWith('}\n')).toBe(true)
    const empty = toSarif(report([]), context) as SarifLog
    expect(empty.runs[0]?.results).toEqual([])
    expect(empty.runs[0]?.tool.driver.rules).toEqual([])
  })
})

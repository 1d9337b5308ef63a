/** Glob patterns for include/exclude and ignore-entry names: what users expect from .gitignore and shells. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config.js'
import { globToRegExp, pathFilter } from '../../src/config/glob.js'

const matches = (pattern: string, path: string): boolean => globToRegExp(pattern).test(path)

describe('globToRegExp', () => {
  const cases: [string, string[], string[]][] = [
    // pattern, paths it matches, paths it does not
    ['**/*.yaml', ['a.yaml', 'deploy/a.yaml', 'deploy/prod/eu/a.yaml'], ['a.yml', 'a.yaml.bak', 'deploy/a.yaml/x']],
    ['*.yaml', ['a.yaml', 'deploy/a.yaml', 'x/y/z.yaml'], ['a.yml', 'yaml']],
    ['deploy/*.yaml', ['deploy/a.yaml'], ['deploy/prod/a.yaml', 'x/deploy/a.yaml', 'a.yaml']],
    ['deploy/**', ['deploy/a.yaml', 'deploy/prod/a.yaml'], ['deploy', 'deployments/a.yaml', 'x/deploy/a.yaml']],
    ['deploy/**/*.yaml', ['deploy/a.yaml', 'deploy/prod/a.yaml', 'deploy/prod/eu/a.yaml'], ['a.yaml', 'deploy/a.yml']],
    ['**/test/**', ['test/a.yaml', 'charts/x/test/a.yaml'], ['tests/a.yaml', 'contest/a.yaml']],
    ['.github/**', ['.github/kube-ratchet.yml', '.github/workflows/ci.yml'], ['github/a.yml', 'x/.github/a.yml', '.githubx/a.yml']],
    ['{a,b}.yaml', ['a.yaml', 'b.yaml', 'x/a.yaml'], ['c.yaml', '{a,b}.yaml', 'ab.yaml']],
    ['**/*.{yaml,yml}', ['a.yaml', 'x/a.yml'], ['a.json']],
    ['{charts,deploy}/**', ['charts/a.yaml', 'deploy/x/b.yaml'], ['other/a.yaml']],
    ['{*.yaml,*.yml}', ['a.yaml', 'x/b.yml'], ['a.json']],
    ['{a,{b,c}d}.yaml', ['a.yaml', 'bd.yaml', 'cd.yaml'], ['b.yaml', 'd.yaml']],
    ['?.yaml', ['a.yaml', 'x/b.yaml'], ['ab.yaml', '.yaml']],
    ['[ab].yaml', ['a.yaml', 'b.yaml'], ['c.yaml']],
    ['[!ab].yaml', ['c.yaml'], ['a.yaml', 'b.yaml']],
    ['v[0-9].yaml', ['v1.yaml'], ['va.yaml']],
    ['vendor/', ['vendor/a.yaml', 'x/vendor/y/a.yaml'], ['vendor.yaml', 'vendors/a.yaml']],
    ['/a.yaml', ['a.yaml'], ['x/a.yaml']],
    ['./deploy/*.yaml', ['deploy/a.yaml'], ['x/deploy/a.yaml']],
    ['a+b (1).yaml', ['a+b (1).yaml'], ['aab (1).yaml', 'a+b 1.yaml']],
    ['{unclosed.yaml', ['{unclosed.yaml'], ['unclosed.yaml']],
    ['[unclosed.yaml', ['[unclosed.yaml'], ['u.yaml']],
  ]
  for (const [pattern, yes, no] of cases) {
    it(pattern, () => {
      for (const path of yes) expect(matches(pattern, path), `${pattern} should match ${path}`).toBe(true)
      for (const path of no) expect(matches(pattern, path), `${pattern} should not match ${path}`).toBe(false)
    })
  }

  it('matches object names for ignore entries (no slashes there)', () => {
    expect(matches('fluent-bit*', 'fluent-bit')).toBe(true)
    expect(matches('fluent-bit*', 'fluent-bit-canary')).toBe(true)
    expect(matches('fluent-bit*', 'my-fluent-bit')).toBe(false)
    expect(matches('api-{eu,us}', 'api-eu')).toBe(true)
    expect(matches('api-{eu,us}', 'api-asia')).toBe(false)
  })

  it('never throws, whatever the pattern', () => {
    for (const pattern of ['{', '}', '[', ']', '{*', '(', ')', '+', '\\', '{a,[}', '[]]', '**/**', '***']) {
      expect(() => globToRegExp(pattern)).not.toThrow()
    }
  })
})

describe('pathFilter with the default include and exclude', () => {
  const wanted = pathFilter(DEFAULT_CONFIG.include, DEFAULT_CONFIG.exclude)
  it('reads manifests at every depth, the top level included', () => {
    for (const path of ['a.yaml', 'b.yml', 'c.json', 'deploy/prod/api.yaml']) expect(wanted(path), path).toBe(true)
  })
  it('leaves out other files, .github, node_modules and vendor', () => {
    for (const path of ['README.md', '.github/kube-ratchet.yml', '.github/workflows/ci.yaml', 'node_modules/x/a.json', 'vendor/k8s/a.yaml']) {
      expect(wanted(path), path).toBe(false)
    }
  })
})

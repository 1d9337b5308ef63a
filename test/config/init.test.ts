/** `kube-ratchet init`: the commented default configuration it writes is itself valid. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config.js'
import { INIT_CONFIG } from '../../src/config/init.js'
import { tempDir, writeTree } from '../helpers/revisions.js'
import { runCli } from '../support/cli.js'
import { CONFIG_FILE, configOf } from './support.js'

describe('kube-ratchet init', () => {
  it('writes .github/kube-ratchet.yml, creating the folder', async () => {
    const dir = tempDir()
    const run = await runCli(['init'], dir)
    expect(run).toEqual({ code: 0, stdout: 'wrote .github/kube-ratchet.yml\n', stderr: '' })
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).toBe(INIT_CONFIG)
  })

  it('writes a configuration that parses to exactly the defaults', async () => {
    const dir = tempDir()
    await runCli(['init'], dir)
    const { file, ...options } = configOf(readFileSync(join(dir, CONFIG_FILE), 'utf8'))
    const { file: _none, ...defaults } = DEFAULT_CONFIG
    expect(file).toBe(CONFIG_FILE)
    expect(options).toEqual(defaults)
  })

  it('refuses to overwrite a configuration without --force', async () => {
    const dir = tempDir()
    writeTree(dir, { [CONFIG_FILE]: 'failOn: critical\n' })
    const run = await runCli(['init'], dir)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('.github/kube-ratchet.yml exists already (use --force to overwrite it)')
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).toBe('failOn: critical\n')
  })

  it('overwrites it with --force', async () => {
    const dir = tempDir()
    writeTree(dir, { [CONFIG_FILE]: 'failOn: critical\n' })
    expect((await runCli(['init', '--force'], dir)).code).toBe(0)
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).toBe(INIT_CONFIG)
  })

  it('is what a run then reads: a scan of the directory uses it', async () => {
    const dir = tempDir()
    await runCli(['init'], dir)
    writeFileSync(join(dir, CONFIG_FILE), INIT_CONFIG.replace('failOn: high', 'failOn: none'))
    writeTree(dir, { 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: a:1}]\n' })
    const run = await runCli(['scan', '.', '--format', 'json'], dir)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0)
  })
})

describe('the commented examples of the default configuration', () => {
  /** Each commented block after an option's default line, uncommented in place of that line. */
  function examples(): { option: string; text: string }[] {
    const lines = INIT_CONFIG.split('\n')
    const found: { option: string; text: string }[] = []
    for (let i = 0; i < lines.length; i++) {
      const option = /^(\w+): /.exec(lines[i] ?? '')?.[1]
      if (!option || !(lines[i + 1] ?? '').startsWith(`# ${option}:`)) continue
      let end = i + 1
      while ((lines[end] ?? '').startsWith('# ')) end++
      const example = lines.slice(i + 1, end).map((l) => l.slice(2))
      found.push({ option, text: [...lines.slice(0, i), ...example, ...lines.slice(end)].join('\n') })
    }
    return found
  }

  it('shows an example for every option that is a list or a map (render has only scalars)', () => {
    expect(examples().map((e) => e.option)).toEqual(['namespaces', 'rules', 'podTemplates', 'ignore', 'compat', 'sandboxRuntimeClasses', 'helm'])
  })

  for (const { option, text } of examples()) {
    it(`${option}: uncommented, the example is a valid configuration`, () => {
      const config = configOf(text)
      const changed = Object.entries(config).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG]))
      expect(changed.map(([key]) => key).filter((key) => key !== 'file')).toEqual([option === 'namespaces' ? 'namespaceLevels' : option])
    })
  }
})

/**
 * A pull request whose file, object and container names are hostile: @mentions, HTML, a
 * backtick, and a newline followed by a workflow command. Whatever the action posts must keep
 * them inert: no ping, no HTML, no forged `::error` line in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanupTemp, ensureActionBundle, PullRepo, type ActionRun } from './harness.js'
import { BASE_FILES, expectClean, newFindings, PullRequestSetup } from './scenario.js'

const HOSTILE_FILE = 'deploy/@octo-org/evil <img src=x> #1.yaml'
const HOSTILE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: "@octo-org/admins <b>hi</b>"
  namespace: "ns\`x"
spec:
  containers:
    - name: "app\\n::error file=forged.yaml::forged @octo-org"
      image: "busybox:1.36"
      securityContext:
        privileged: true
`

let normal: PullRequestSetup
let readOnly: PullRequestSetup
let run: ActionRun
let readOnlyRun: ActionRun

function hostileRepo(): PullRepo {
  return new PullRepo({ base: BASE_FILES, head: { [HOSTILE_FILE]: HOSTILE_POD } })
}

beforeAll(async () => {
  await ensureActionBundle()
  normal = await new PullRequestSetup(hostileRepo()).start({ checkout: 'full' })
  readOnly = await new PullRequestSetup(hostileRepo()).start({ checkout: 'full', readOnly: true })
  run = await normal.run()
  readOnlyRun = await readOnly.run()
})

afterAll(async () => {
  await normal?.close()
  await readOnly?.close()
  cleanupTemp()
})

/** Every Markdown text the action gave GitHub or the runner. */
function markdownTexts(setup: PullRequestSetup, r: ActionRun): { name: string; text: string }[] {
  return [
    ...setup.fake.reviews.map((x) => ({ name: `review ${x.id}`, text: x.body })),
    ...setup.botComments().map((c) => ({ name: `comment ${c.id}`, text: c.body })),
    ...setup.fake.checkRuns.map((c) => ({ name: `check summary ${c.id}`, text: c.output.summary ?? '' })),
    ...setup.fake.checkRuns.map((c) => ({ name: `check text ${c.id}`, text: c.output.text ?? '' })),
    { name: 'job summary', text: r.summary },
  ]
}

function forgedLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^::[a-z-]+ file=forged\.yaml/.test(l) || /^::error file=forged/.test(l))
}

describe('hostile names in a pull request', () => {
  it('are reviewed like any other: valid requests, comments on the hostile file', () => {
    expectClean(normal, run)
    expect(newFindings(run).length).toBeGreaterThan(0)
    expect(newFindings(run).every((f) => f.file === HOSTILE_FILE)).toBe(true)
    expect(normal.botComments().length).toBeGreaterThan(0)
    expect(normal.botComments().every((c) => c.path === HOSTILE_FILE)).toBe(true)
  })

  it('never @mention anyone, never carry HTML from the input', () => {
    const texts = markdownTexts(normal, run)
    expect(texts.map((t) => t.name)).toContain('job summary')
    for (const { name, text } of texts) {
      expect(text, name).not.toMatch(/@(?!\u2060)octo-org/)
      expect(text, name).not.toMatch(/<img|<b>/i)
    }
  })

  it('never let a name forge a workflow command', () => {
    expect(forgedLines(run.stdout)).toEqual([])
    expect(run.commands.filter((c) => c.properties.file === 'forged.yaml')).toEqual([])
  })
})

describe('hostile names with a read-only token (findings go to workflow commands)', () => {
  it('keeps the hygiene and annotates the hostile file itself', () => {
    expectClean(readOnly, readOnlyRun)
    expect(readOnlyRun.code).toBe(1)
    const annotations = readOnlyRun.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command) && c.properties.file)
    expect(annotations.length).toBe(newFindings(readOnlyRun).length)
    expect(annotations.every((c) => c.properties.file === HOSTILE_FILE)).toBe(true)
  })

  it('escapes the newline: the forged command stays inside a message', () => {
    expect(forgedLines(readOnlyRun.stdout)).toEqual([])
    expect(readOnlyRun.commands.filter((c) => c.properties.file === 'forged.yaml')).toEqual([])
    expect(readOnlyRun.commands.some((c) => c.message.includes('::error file=forged.yaml::forged'))).toBe(true)
  })

  it('writes a job summary without pings or HTML', () => {
    expect(readOnlyRun.summary).toContain('octo-org')
    expect(readOnlyRun.summary).not.toMatch(/@(?!\u2060)octo-org/)
    expect(readOnlyRun.summary).not.toMatch(/<img|<b>/i)
  })
})

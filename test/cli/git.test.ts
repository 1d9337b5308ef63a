/** `kube-ratchet diff` on a git repository: refs, merge bases, the work tree and --repo. */
import { afterEach, describe, expect, it } from 'vitest'
import { commitAll, deployment, git, gitRepo, HOST_NAMESPACES, pod, PRIVILEGED, schemaErrors, tempDir, type TempDir } from '../support/engine.js'
import { runCli } from '../support/cli.js'

interface JsonReport {
  base: { ref: string | null; sha: string | null }
  head: { ref: string | null; sha: string | null }
  summary: { new: number; fixed: number; unchanged: number; files: number }
  findings: { status: string; ruleId: string; file: string; line: number; resource: { name: string } }[]
  errors: unknown[]
}

const dirs: TempDir[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

/** Findings of the two known rules, as `status ruleId file name`. */
const known = (report: JsonReport): string[] =>
  report.findings
    .filter((f) => f.ruleId === PRIVILEGED || f.ruleId === HOST_NAMESPACES)
    .map((f) => `${f.status} ${f.ruleId} ${f.file} ${f.resource.name}`)
    .sort()

const UNRELATED = Object.fromEntries(
  Array.from({ length: 5 }, (_, i) => [`config/cm-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata: {}\n`]),
)

/**
 * main:    A (web, api clean) ─── C (api made privileged, after the branch)
 *            \
 * feature:    B (web gets hostNetwork, feature.yaml added with a privileged pod)
 * The work tree is left on `feature`.
 */
function forkedRepo(): { repo: TempDir; a: string; b: string; c: string } {
  const repo = gitRepo()
  dirs.push(repo)
  repo.write({ 'web.yaml': deployment('web'), 'api.yaml': pod('api'), ...UNRELATED })
  const a = commitAll(repo.path, 'A')
  git(repo.path, 'checkout', '-q', '-b', 'feature')
  repo.write({ 'web.yaml': deployment('web', { hostNetwork: true }), 'feature.yaml': pod('feature', { containers: [{ name: 'f', privileged: true }] }) })
  const b = commitAll(repo.path, 'B')
  git(repo.path, 'checkout', '-q', 'main')
  repo.write({ 'api.yaml': pod('api', { containers: [{ name: 'api', privileged: true }] }) })
  const c = commitAll(repo.path, 'C')
  git(repo.path, 'checkout', '-q', 'feature')
  return { repo, a, b, c }
}

async function diffJson(argv: string[], cwd: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['diff', ...argv, '--format', 'json'], cwd)
  if (code === 2) throw new Error(stderr)
  const report = JSON.parse(stdout) as JsonReport
  expect(schemaErrors(report)).toEqual([])
  return { code, report, stderr }
}

describe('diff between two git refs', () => {
  it('--base main --head feature compares against the merge base', async () => {
    const { repo, a, b } = forkedRepo()
    const { code, report } = await diffJson(['--base', 'main', '--head', 'feature'], repo.path)
    expect(code).toBe(1)
    expect(known(report)).toEqual([`new ${HOST_NAMESPACES} web.yaml web`, `new ${PRIVILEGED} feature.yaml feature`])
    // C, added to main after the branch, is not part of the change
    expect(report.findings.some((f) => f.file === 'api.yaml')).toBe(false)
    expect(report.base).toEqual({ ref: 'main', sha: a })
    expect(report.head).toEqual({ ref: 'feature', sha: b })
  })

  it('reads only the files that changed', async () => {
    const { repo } = forkedRepo()
    const { report } = await diffJson(['--base', 'main', '--head', 'feature'], repo.path)
    // web.yaml at both revisions, feature.yaml at head; api.yaml and the five ConfigMaps are not read
    expect(report.summary.files).toBe(3)
  })

  it('takes shas and relative refs as well as branch names', async () => {
    const { repo, a, b } = forkedRepo()
    const bySha = await diffJson(['--base', a, '--head', b], repo.path)
    expect(known(bySha.report)).toEqual([`new ${HOST_NAMESPACES} web.yaml web`, `new ${PRIVILEGED} feature.yaml feature`])
    const relative = await diffJson(['--base', 'feature~1', '--head', 'HEAD'], repo.path)
    expect(known(relative.report)).toEqual(known(bySha.report))
    // a head that is an ancestor of the base: their merge base is the head itself, nothing changed
    const backwards = await diffJson(['--base', 'feature', '--head', 'feature~1'], repo.path)
    expect(backwards.report.findings).toEqual([])
  })

  it('reports what a commit fixes', async () => {
    const { repo } = forkedRepo()
    git(repo.path, 'rm', '-q', 'feature.yaml')
    repo.write({ 'web.yaml': deployment('web') })
    commitAll(repo.path, 'D')
    const { code, report } = await diffJson(['--base', 'feature~1', '--head', 'feature'], repo.path)
    expect(code).toBe(0)
    expect(known(report)).toEqual([`fixed ${HOST_NAMESPACES} web.yaml web`, `fixed ${PRIVILEGED} feature.yaml feature`])
  })

  it('main..main reports nothing and reads nothing', async () => {
    const { repo } = forkedRepo()
    const { code, report } = await diffJson(['--base', 'main', '--head', 'main'], repo.path)
    expect(code).toBe(0)
    expect(report.findings).toEqual([])
    expect(report.summary.files).toBe(0)
  })
})

describe('diff against the work tree', () => {
  it('--base main with no --head compares the work tree, uncommitted and untracked files included', async () => {
    const { repo, a } = forkedRepo()
    repo.write({
      'web.yaml': deployment('web', { hostNetwork: true, containers: [{ name: 'app', privileged: true }] }), // uncommitted edit
      'untracked.yaml': pod('untracked', { hostNetwork: true }), // untracked
    })
    const { code, report } = await diffJson(['--base', 'main'], repo.path)
    expect(code).toBe(1)
    expect(known(report)).toEqual([
      `new ${HOST_NAMESPACES} untracked.yaml untracked`,
      `new ${HOST_NAMESPACES} web.yaml web`,
      `new ${PRIVILEGED} feature.yaml feature`,
      `new ${PRIVILEGED} web.yaml web`,
    ])
    expect(report.base).toEqual({ ref: 'main', sha: a })
    expect(report.head).toEqual({ ref: 'working tree', sha: null })
    // web.yaml twice, feature.yaml and untracked.yaml: the unchanged files are not read
    expect(report.summary.files).toBe(4)
  })

  it('sees a staged change, a deleted file and ignores ignored files', async () => {
    const { repo } = forkedRepo()
    repo.write({ '.gitignore': 'ignored.yaml\n', 'ignored.yaml': pod('ignored', { hostNetwork: true }) })
    git(repo.path, 'rm', '-q', 'feature.yaml')
    repo.write({ 'staged.yaml': pod('staged', { hostNetwork: true }) })
    git(repo.path, 'add', 'staged.yaml')
    const { report } = await diffJson(['--base', 'main'], repo.path)
    expect(known(report)).toEqual([`new ${HOST_NAMESPACES} staged.yaml staged`, `new ${HOST_NAMESPACES} web.yaml web`])
    expect(report.findings.some((f) => f.file === 'ignored.yaml')).toBe(false)
  })

  it('a clean work tree on the base branch reports nothing', async () => {
    const { repo } = forkedRepo()
    git(repo.path, 'checkout', '-q', 'main')
    const { code, report } = await diffJson(['--base', 'main'], repo.path)
    expect(code).toBe(0)
    expect(report.findings).toEqual([])
    expect(report.summary.files).toBe(0)
  })

  it('a file rewritten with the same content is not a change', async () => {
    const { repo } = forkedRepo()
    git(repo.path, 'checkout', '-q', 'main')
    repo.remove('api.yaml')
    repo.write({ 'api.yaml': pod('api', { containers: [{ name: 'api', privileged: true }] }) })
    const { report } = await diffJson(['--base', 'main'], repo.path)
    expect(report.findings).toEqual([])
    expect(report.summary.files).toBe(0)
  })

  it('works from a subdirectory of the repository', async () => {
    const { repo } = forkedRepo()
    const { report } = await diffJson(['--base', 'main', '--head', 'feature'], `${repo.path}/config`)
    expect(known(report)).toEqual([`new ${HOST_NAMESPACES} web.yaml web`, `new ${PRIVILEGED} feature.yaml feature`])
  })
})

describe('--repo', () => {
  it('points at the repository from another working directory', async () => {
    const { repo } = forkedRepo()
    const elsewhere = tempDir()
    dirs.push(elsewhere)
    const { report } = await diffJson(['--repo', repo.path, '--base', 'main', '--head', 'feature'], elsewhere.path)
    expect(known(report)).toEqual([`new ${HOST_NAMESPACES} web.yaml web`, `new ${PRIVILEGED} feature.yaml feature`])
    // the work tree of the repository, not of the current directory
    repo.write({ 'untracked.yaml': pod('untracked', { hostNetwork: true }) })
    const wt = await diffJson(['--repo', repo.path, '--base', 'main'], elsewhere.path)
    expect(known(wt.report)).toContain(`new ${HOST_NAMESPACES} untracked.yaml untracked`)
  })

  it('a ref unknown to the repository is a usage error', async () => {
    const { repo } = forkedRepo()
    const elsewhere = tempDir()
    dirs.push(elsewhere)
    const { code, stderr } = await runCli(['diff', '--repo', repo.path, '--base', 'no-such-branch'], elsewhere.path)
    expect(code).toBe(2)
    expect(stderr).toMatch(/--base no-such-branch: not a git ref of the repository, nor a directory/)
  })
})

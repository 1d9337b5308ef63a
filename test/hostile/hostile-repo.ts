/**
 * A git repository holding every input hazard a pull request can bring, for end-to-end tests of
 * the CLI (test/hostile/repo.test.ts) and of the action against the fake GitHub server.
 *
 * `main` is the base; the `feature` branch adds the hazards, changes some files' types, deletes
 * and renames others, and adds good manifests with real findings. `HOSTILE_EXPECTED` says what
 * each file must produce: exactly one error or skip, or findings, or nothing.
 *
 * Not a test file, and no vitest import: call `cleanup()` when done.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A GitHub token in the real format, committed in the head: no output may ever show it. */
export const PLANTED_TOKEN = `ghp_${'k3Rt'.repeat(9)}`
/** An AWS access key id in the real format, committed in an unchanged part of a changed file. */
export const PLANTED_AWS_KEY = `AKIA${'R4TC'.repeat(4)}`
/** A password in a literal environment variable (not in any known format). */
export const PLANTED_PASSWORD = 'correct-horse-battery-staple-9'

/** File names that are hostile where they are shown: Markdown, HTML, mentions, shell, terminal escapes. */
export const HOSTILE_NAMES = {
  space: 'with space/pod one.yaml',
  unicode: 'ünïcödé/日本語-ポッド.yaml',
  newline: 'new\nline.yaml',
  html: '<img src=x onerror=alert(1)>.yaml',
  mention: '@everyone.yaml',
  shell: '$(touch pwned) `id`.yaml',
  dash: '-rf.yaml',
  ansi: '\u001b[31mred\u001b[0m.yaml',
  command: '::error file=forged.yaml::forged.yaml',
} as const

export interface ExpectedProblem {
  file: string
  kind: 'error' | 'skipped'
  /** the error's line where it has one (null: the whole file) */
  line?: number | null
  /** matches the error message or the skip reason */
  says: RegExp
}

/** What the hazards of the head must produce, each exactly once. */
export const HOSTILE_EXPECTED: {
  problems: ExpectedProblem[]
  /** files analysed normally: each has at least one new finding of this rule */
  findings: { file: string; ruleId: string }[]
  /** files that must produce nothing at all at head (no finding, error or skip) */
  silent: string[]
} = {
  problems: [
    { file: 'evil.yaml', kind: 'skipped', says: /symbolic link/ },
    { file: 'runner-env.yaml', kind: 'skipped', says: /symbolic link/ },
    { file: 'was-file.yaml', kind: 'skipped', says: /symbolic link/ },
    { file: 'vendored.yaml', kind: 'skipped', says: /submodule/ },
    { file: 'was-file-2.yaml', kind: 'skipped', says: /submodule/ },
    { file: 'big.yaml', kind: 'skipped', says: /6(\.\d)? MB, over the 5 MB limit/ },
    { file: 'binary.yaml', kind: 'skipped', says: /binary/ },
    { file: 'was-yaml.yaml', kind: 'skipped', says: /binary/ },
    { file: 'utf16.yaml', kind: 'skipped', says: /UTF-16/ },
    { file: 'chart/templates/deployment.yaml', kind: 'skipped', says: /Helm chart template/ },
    { file: 'stray-template.yaml', kind: 'skipped', says: /template syntax/ },
    { file: 'latin1.yaml', kind: 'error', line: 4, says: /not valid UTF-8/ },
    { file: 'bomb.yaml', kind: 'error', line: 1, says: /alias/i },
    { file: 'deep.yaml', kind: 'error', line: 5, says: /nested more than 100 levels/ },
    { file: 'dup.yaml', kind: 'error', line: 7, says: /unique/ },
    { file: 'tabs.yaml', kind: 'error', line: 6, says: /tab/i },
    { file: 'wrong-types.yaml', kind: 'error', line: 11, says: /^spec\.template\.spec\.containers must be a list$/ },
    { file: 'wrong-types.yaml', kind: 'error', line: 22, says: /^spec\.securityContext must be a map$/ },
    { file: 'wrong-types.yaml', kind: 'error', line: 27, says: /^kind must be a non-empty string$/ },
    { file: 'wrong-types.yaml', kind: 'error', line: 32, says: /^metadata\.name must be a string$/ },
    { file: 'wrong-types.yaml', kind: 'error', line: 37, says: /^List items must be a list$/ },
  ],
  findings: [
    { file: 'good/deployment.yaml', ruleId: 'pss-privileged' },
    { file: 'good/bom-crlf.yaml', ruleId: 'pss-host-namespaces' },
    { file: 'good/secrets.yaml', ruleId: 'secret-pattern' },
    { file: 'good/secrets.yaml', ruleId: 'secret-env-literal' },
    { file: 'good/secrets.yaml', ruleId: 'pss-privileged' },
    ...Object.values(HOSTILE_NAMES).map((file) => ({ file, ruleId: 'pss-privileged' })),
  ],
  silent: ['renamed-after.yaml', 'not-a-manifest.txt', 'etc-link', 'sub'],
}

/** A pod that breaks the baseline level: `pss-privileged` fires on its container. */
function privilegedPod(name: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    'spec:',
    '  containers:',
    '  - name: app',
    '    image: nginx:1.27',
    '    securityContext:',
    '      privileged: true',
    '',
  ].join('\n')
}

const BASE_FILES: Record<string, string | Buffer> = {
  'was-file.yaml': privilegedPod('was-file'),
  'was-file-2.yaml': privilegedPod('was-file-2'),
  'was-yaml.yaml': privilegedPod('was-yaml'),
  'deleted.yaml': privilegedPod('deleted'),
  'renamed-before.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: renamed\ndata:\n  a: "1"\n',
  'good/secrets.yaml': secretsFile(false),
}

/** A Deployment with a literal password, a Secret with a token, a ConfigMap with a key; at head its container turns privileged. */
function secretsFile(head: boolean): string {
  return [
    'apiVersion: apps/v1', // 1
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:', // 5
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: api',
    '        image: api:1.0', // 10
    '        env:',
    '        - name: DB_PASSWORD',
    `          value: ${PLANTED_PASSWORD}`,
    '        - name: AWS_ACCESS_KEY_ID',
    `          value: ${PLANTED_AWS_KEY}`, // 15
    ...(head ? ['        securityContext:', '          privileged: true'] : []),
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: tokens',
    'stringData:',
    `  github: ${head ? PLANTED_TOKEN : 'placeholder'}`,
    '',
  ].join('\n')
}

function headFiles(): Record<string, string | Buffer> {
  const wrongTypes = [
    'apiVersion: apps/v1', // 1
    'kind: Deployment',
    'metadata:',
    '  name: wrong',
    'spec:', // 5
    '  template:',
    '    metadata:',
    '      labels: {app: wrong}',
    '    spec:',
    '      hostNetwork: true', // 10
    '      containers: "x"',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:', // 15
    '  name: sc',
    'spec:',
    '  containers:',
    '  - name: app',
    '    securityContext:', // 20
    '      privileged: true',
    '  securityContext: []',
    '---',
    'apiVersion: v1',
    'metadata:', // 25
    '  name: five',
    'kind: 5',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap', // 30
    'metadata:',
    '  name: {a: 1}',
    '---',
    'apiVersion: v1',
    'kind: List', // 35
    'metadata: {}',
    'items: 7',
    '---',
    'apiVersion: v1',
    'kind: Pod', // 40
    'metadata: {name: nulls}',
    'spec: null',
    '',
  ].join('\n')
  const bombLevels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i)
    const name = String.fromCharCode(97 + i)
    bombLevels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
  }
  const bigLine = `  k: "${'x'.repeat(1000)}"\n`
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${bigLine.repeat(Math.ceil((6 * 1024 * 1024) / bigLine.length))}`
  const files: Record<string, string | Buffer> = {
    'big.yaml': big,
    'binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    'was-yaml.yaml': Buffer.concat([Buffer.from('apiVersion: v1\n'), Buffer.from([0, 1, 2, 3, 0xff])]),
    'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: v1\nkind: Pod\n', 'utf16le')]),
    'latin1.yaml': Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    'bomb.yaml': [...bombLevels, 'apiVersion: v1', 'kind: Pod', 'metadata: {name: bomb}', 'spec: {hostNetwork: true}', ''].join('\n'),
    'deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    'dup.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector: {app: a}\n  selector: {app: b}\n',
    'tabs.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tabs\nspec:\n\thostNetwork: true\n',
    'wrong-types.yaml': wrongTypes,
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'chart/values.yaml': 'replicas: 2\n',
    'chart/templates/deployment.yaml': '{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
    'stray-template.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n',
    'good/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: good',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: nginx:1.27',
      '        securityContext:',
      '          privileged: true',
      '',
    ].join('\n'),
    'good/bom-crlf.yaml': `\uFEFF${'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bom\nspec:\n  hostNetwork: true\n  containers:\n  - name: a\n    image: nginx:1.27\n'.replace(/\n/g, '\r\n')}`,
    'good/secrets.yaml': secretsFile(true),
    'renamed-after.yaml': BASE_FILES['renamed-before.yaml'] as string,
    'not-a-manifest.txt': 'just text\n',
  }
  for (const [key, file] of Object.entries(HOSTILE_NAMES)) files[file] = privilegedPod(`${key} <b>@everyone</b> \u001b[2J`)
  return files
}

export interface HostileRepo {
  /** the repository's directory (its work tree is the head) */
  dir: string
  baseSha: string
  headSha: string
  cleanup(): void
}

/** Runs git with a fixed identity and no machine configuration. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', '-c', 'core.quotePath=false', ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, maxBuffer: 64 * 1024 * 1024 },
  ).trim()
}

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
}

/**
 * Builds the repository: `main` with a few files, `feature` with every hazard. With `dir`, the
 * repository is made there (it must be empty or absent).
 */
export function buildHostileRepo(dir?: string): HostileRepo {
  const repo = dir ?? mkdtempSync(join(tmpdir(), 'kube-ratchet-hostile-'))
  mkdirSync(repo, { recursive: true })
  gitIn(repo, 'init', '-q', '-b', 'main')
  write(repo, BASE_FILES)
  gitIn(repo, 'add', '-A')
  gitIn(repo, 'commit', '-q', '-m', 'base')
  const baseSha = gitIn(repo, 'rev-parse', 'HEAD')

  gitIn(repo, 'checkout', '-q', '-b', 'feature')
  // deleted, renamed, and files that change type
  for (const path of ['deleted.yaml', 'renamed-before.yaml', 'was-file.yaml', 'was-file-2.yaml']) rmSync(join(repo, path))
  write(repo, headFiles())
  // symlinks named like manifests, to a system file and to the runner's own environment
  symlinkSync('/etc/passwd', join(repo, 'evil.yaml'))
  symlinkSync('/proc/self/environ', join(repo, 'runner-env.yaml'))
  symlinkSync('/etc', join(repo, 'etc-link'))
  symlinkSync('/etc/shadow', join(repo, 'was-file.yaml'))
  gitIn(repo, 'add', '-A')
  // submodules (gitlinks): one named like a manifest, one replacing a manifest, one plain
  for (const path of ['vendored.yaml', 'was-file-2.yaml', 'sub']) {
    gitIn(repo, 'update-index', '--add', '--cacheinfo', `160000,${baseSha},${path}`)
  }
  gitIn(repo, 'commit', '-q', '-m', 'hostile head')
  const headSha = gitIn(repo, 'rev-parse', 'HEAD')
  return { dir: repo, baseSha, headSha, cleanup: () => rmSync(repo, { recursive: true, force: true }) }
}

import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

/** A program found on the machine, with the arguments that select the wanted sub-command. */
export interface Tool {
  command: string
  /** e.g. `['build']` for `kustomize`, `['kustomize']` for `kubectl` */
  args: string[]
  name: string
}

/** The first executable regular file called `name` in PATH (`env` defaults to the process's). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      continue
    }
  }
  return null
}

/**
 * How to run a Kustomize build: `$KUBE_RATCHET_KUSTOMIZE`, else a `kustomize` on PATH, else
 * `kubectl kustomize` (kubectl has had Kustomize built in since 1.14).
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): Tool | null {
  const explicit = env.KUBE_RATCHET_KUSTOMIZE
  if (explicit) return { command: explicit, args: explicit.endsWith('kubectl') ? ['kustomize'] : ['build'], name: 'kustomize' }
  const kustomize = onPath('kustomize', env)
  if (kustomize) return { command: kustomize, args: ['build'], name: 'kustomize' }
  const kubectl = onPath('kubectl', env)
  return kubectl ? { command: kubectl, args: ['kustomize'], name: 'kubectl kustomize' } : null
}

/** `$KUBE_RATCHET_HELM`, else `helm` on PATH. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): Tool | null {
  const helm = env.KUBE_RATCHET_HELM || onPath('helm', env)
  return helm ? { command: helm, args: [], name: 'helm' } : null
}

export type ToolResult = { ok: true; stdout: string } | { ok: false; message: string }

/** Output beyond this is a runaway render: the build is stopped and reported. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024

/**
 * Runs a rendering tool in a sealed environment: no inherited variables (credentials, proxies,
 * kubeconfig), an empty PATH (so Kustomize finds no `git` to clone remote bases with), a proxy
 * that refuses every connection (so an HTTP fetch fails at once), a private home for caches and
 * plugins, and a time limit after which the whole process group is killed.
 */
export async function runTool(tool: Tool, args: readonly string[], options: { cwd: string; home: string; timeoutMs: number }): Promise<ToolResult> {
  const home = options.home
  await mkdir(join(home, 'empty-path'), { recursive: true })
  const nowhere = 'http://127.0.0.1:9'
  const env: NodeJS.ProcessEnv = {
    PATH: join(home, 'empty-path'),
    HOME: home,
    TMPDIR: home,
    LANG: 'C',
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    GIT_TERMINAL_PROMPT: '0',
    HELM_CACHE_HOME: join(home, 'helm-cache'),
    HELM_CONFIG_HOME: join(home, 'helm-config'),
    HELM_DATA_HOME: join(home, 'helm-data'),
    HELM_PLUGINS: join(home, 'empty-path'),
    HELM_REGISTRY_CONFIG: join(home, 'helm-config', 'registry.json'),
    HELM_REPOSITORY_CONFIG: join(home, 'helm-config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(home, 'helm-cache', 'repository'),
  }
  return new Promise((resolve) => {
    const child = spawn(tool.command, [...tool.args, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let size = 0
    let stopped: string | null = null
    const stop = (reason: string): void => {
      if (stopped) return
      stopped = reason
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    const timer = setTimeout(() => stop(`timed out after ${Math.round(options.timeoutMs / 100) / 10} s`), options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_OUTPUT_BYTES) stop(`stopped: more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB of output`)
      else stdout.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.reduce((n, b) => n + b.length, 0) < 64 * 1024) stderr.push(chunk)
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ ok: false, message: `${tool.name} could not be run: ${error.message}` })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (stopped) return resolve({ ok: false, message: `${tool.name} ${stopped}` })
      if (code !== 0) return resolve({ ok: false, message: `${tool.name} failed: ${toolMessage(Buffer.concat(stderr).toString('utf8'), options.cwd)}` })
      resolve({ ok: true, stdout: Buffer.concat(stdout).toString('utf8') })
    })
  })
}

/** The tool's complaint in one line, without the temporary directory's name or klog's prefix. */
function toolMessage(stderr: string, cwd: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  let text = (lines.length > 0 ? lines.join(' ') : 'no message')
    .replace(/^E\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] /, '')
    .replace(/^"command failed" err=/, '')
    .replace(/^Error: /, '')
  if (/^".*"$/.test(text)) {
    try {
      text = JSON.parse(text) as string
    } catch {
      // klog quoted it its own way: keep it as it is
    }
  }
  text = text
    .replaceAll(`${cwd}/`, '')
    .replaceAll(cwd, '.')
  return text.length > 600 ? `${text.slice(0, 600)}…` : text
}

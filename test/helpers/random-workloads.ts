import type { JsonValue } from '../../src/model.js'
import { Random } from './random.js'

/**
 * Random workloads (many field combinations, each as a Pod, Deployment or CronJob) written in
 * random YAML styles: indentation, flush or indented sequences, flow collections, quoting,
 * comments, CRLF. Plain JSON is generated first, with a few marks for how parts of it are written.
 */

// Generating workloads: plain JSON, with a few marks for how parts of it are written

/** A value written in flow style (`{ a: 1 }`, `[a, b]`). */
class Flow {
  constructor(readonly value: JsonValue) {}
}
type Doc = JsonValue | Flow | { [key: string]: Doc | undefined } | Doc[]

/** Only the fields that are set: `undefined` means leave the key out. */
function compact(entries: Record<string, Doc | undefined>): { [key: string]: Doc } {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as { [key: string]: Doc }
}

function maybe<T>(r: Random, p: number, make: () => T): T | undefined {
  return r.chance(p) ? make() : undefined
}

function list(r: Random, items: string[]): Doc {
  return r.chance(0.4) ? new Flow(items) : items
}

function profile(r: Random): Doc {
  const type = r.pick(['RuntimeDefault', 'Unconfined', 'Localhost', 'Unconfined', ''])
  const value = compact({
    type: type === '' ? undefined : type,
    localhostProfile: type === 'Localhost' || (type === 'Unconfined' && r.chance(0.3)) ? 'profiles/p.json' : undefined,
  })
  return r.chance(0.5) ? new Flow(value as JsonValue) : value
}

function securityContext(r: Random, level: 'pod' | 'container'): Doc | undefined {
  const fields = compact({
    runAsNonRoot: maybe(r, 0.4, () => r.chance(0.6)),
    runAsUser: maybe(r, 0.3, () => r.pick([0, 1000])),
    seccompProfile: maybe(r, 0.3, () => profile(r)),
    appArmorProfile: maybe(r, 0.15, () => profile(r)),
    seLinuxOptions: maybe(r, 0.15, () =>
      compact({
        type: maybe(r, 0.6, () => r.pick(['spc_t', 'container_t'])),
        user: maybe(r, 0.3, () => 'system_u'),
        role: maybe(r, 0.3, () => 'system_r'),
      }),
    ),
    windowsOptions: maybe(r, 0.05, () => ({ hostProcess: true })),
    ...(level === 'pod'
      ? {
          sysctls: maybe(r, 0.2, () =>
            r
              .subset(['kernel.msgmax', 'net.ipv4.tcp_syncookies', 'net.core.somaxconn', 'kernel.shm_rmid_forced'], 0.5)
              .map((name) => ({ name, value: '1' })),
          ),
        }
      : {
          privileged: maybe(r, 0.2, () => r.chance(0.7)),
          allowPrivilegeEscalation: maybe(r, 0.5, () => r.chance(0.4)),
          procMount: maybe(r, 0.1, () => r.pick(['Default', 'Unmasked'])),
          capabilities: maybe(r, 0.6, () =>
            compact({
              add: maybe(r, 0.5, () =>
                list(r, r.subset(['SYS_ADMIN', 'NET_ADMIN', 'CHOWN', 'NET_BIND_SERVICE', 'NET_RAW', 'KILL', 'CAP_SYS_ADMIN'], 0.3)),
              ),
              drop: maybe(r, 0.6, () => list(r, r.subset(['ALL', 'NET_RAW', 'MKNOD'], 0.4))),
            }),
          ),
        }),
  })
  if (Object.keys(fields).length === 0 && r.chance(0.7)) return undefined
  return r.chance(0.25) ? new Flow(fields as JsonValue) : fields
}

function probe(r: Random, action: 'httpGet' | 'tcpSocket'): Doc {
  return { [action]: compact({ port: 8080, host: maybe(r, 0.4, () => r.pick(['127.0.0.1', 'metadata.internal'])) }) }
}

function container(r: Random, name: string): Doc {
  return compact({
    name,
    image: r.pick(['nginx:1.27', 'registry.example/app:2', 'busybox']),
    ports: maybe(r, 0.4, () =>
      [80, 443, 9090].slice(0, 1 + r.int(3)).map((port, i) =>
        compact({
          name: maybe(r, 0.5, () => `p${i}`),
          containerPort: port,
          hostPort: maybe(r, 0.4, () => port + 10000),
        }),
      ),
    ),
    livenessProbe: maybe(r, 0.2, () => probe(r, 'httpGet')),
    readinessProbe: maybe(r, 0.2, () => probe(r, 'tcpSocket')),
    lifecycle: maybe(r, 0.1, () => ({ preStop: probe(r, 'httpGet') })),
    securityContext: securityContext(r, 'container'),
  })
}

function volume(r: Random, i: number): Doc {
  const source = r.pick([
    { hostPath: { path: '/var/run/docker.sock' } },
    { hostPath: new Flow({ path: '/' }) },
    { nfs: { server: 'nfs.example', path: '/exports' } },
    { emptyDir: {} },
    { configMap: { name: 'settings' } },
    { gitRepo: { repository: 'https://example.com/r.git' } },
  ] as Doc[]) as { [key: string]: Doc }
  // the source comes first or after the name, as people write both
  return r.chance(0.5) ? { name: `v${i}`, ...source } : { ...source, name: `v${i}` }
}

function podSpec(r: Random, names: string[]): { [key: string]: Doc } {
  return compact({
    hostUsers: maybe(r, 0.05, () => false),
    os: maybe(r, 0.03, () => ({ name: 'windows' })),
    hostNetwork: maybe(r, 0.15, () => r.chance(0.7)),
    hostPID: maybe(r, 0.1, () => r.chance(0.7)),
    hostIPC: maybe(r, 0.1, () => r.chance(0.7)),
    securityContext: securityContext(r, 'pod'),
    initContainers: maybe(r, 0.25, () => [container(r, 'init')]),
    containers: names.map((name) => container(r, name)),
    volumes: maybe(r, 0.4, () => Array.from({ length: 1 + r.int(3) }, (_, i) => volume(r, i))),
  })
}

function workload(r: Random, name: string): Doc {
  const containers = ['app', 'sidecar', 'proxy'].slice(0, 1 + r.int(3))
  const annotations = maybe(r, 0.2, () => ({
    [`container.apparmor.security.beta.kubernetes.io/${r.pick(containers)}`]: r.pick(['unconfined', 'runtime/default', 'bogus']),
  }))
  const spec = podSpec(r, containers)
  const template = { metadata: compact({ labels: { app: name }, annotations }), spec }
  switch (r.pick(['Pod', 'Deployment', 'CronJob'] as const)) {
    case 'Pod':
      return { apiVersion: 'v1', kind: 'Pod', metadata: compact({ name, annotations }), spec }
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template },
      }
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
      }
  }
}

// Writing them in a random style

interface Style {
  indent: number
  /** sequences at their key's column (`key:\n- a`) rather than indented */
  flush: boolean
  /** a list item's map starts this many columns after the dash's column */
  itemOffset: number
  /** string quoting: plain where possible, or always single / double quotes */
  quotes: 'plain' | 'single' | 'double'
  comments: boolean
}

const KEYWORD = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/

function scalar(value: JsonValue, style: Style, inFlow: boolean): string {
  if (typeof value !== 'string') return JSON.stringify(value)
  const plain = /^[A-Za-z_/][\w./-]*$/.test(value) && !KEYWORD.test(value) && !(inFlow && /[,[\]{}]/.test(value))
  if (style.quotes === 'single' && !value.includes("'")) return `'${value}'`
  if (style.quotes === 'double' || !plain) return JSON.stringify(value)
  return value
}

function key(k: string): string {
  return /^[A-Za-z_][\w./-]*$/.test(k) && !KEYWORD.test(k) ? k : JSON.stringify(k)
}

function flow(value: JsonValue | Flow, style: Style): string {
  if (value instanceof Flow) return flow(value.value, style)
  if (Array.isArray(value)) return `[${value.map((v) => flow(v, style)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${key(k)}: ${flow(v as JsonValue, style)}`).join(', ')} }`.replace('{  }', '{}')
  }
  return scalar(value, style, true)
}

function isEmpty(value: Doc): boolean {
  return Array.isArray(value) ? value.length === 0 : value !== null && typeof value === 'object' && !(value instanceof Flow) && Object.keys(value).length === 0
}

function inline(value: Doc, style: Style): string | null {
  if (value instanceof Flow) return flow(value.value, style)
  if (isEmpty(value)) return Array.isArray(value) ? '[]' : '{}'
  if (value === null || typeof value !== 'object') return scalar(value, style, false)
  return null
}

function mapLines(map: { [key: string]: Doc | undefined }, column: number, style: Style): string[] {
  const pad = ' '.repeat(column)
  return Object.entries(map).flatMap(([k, v]) => {
    if (v === undefined) return []
    const one = inline(v, style)
    if (one !== null) return [`${pad}${key(k)}: ${one}`]
    if (Array.isArray(v)) return [`${pad}${key(k)}:`, ...seqLines(v, style.flush ? column : column + style.indent, style)]
    return [`${pad}${key(k)}:`, ...mapLines(v as { [key: string]: Doc }, column + style.indent, style)]
  })
}

function seqLines(items: Doc[], column: number, style: Style): string[] {
  const pad = ' '.repeat(column)
  return items.flatMap((item) => {
    const one = inline(item, style)
    if (one !== null) return [`${pad}- ${one}`]
    const lines = Array.isArray(item)
      ? seqLines(item, column + style.itemOffset, style)
      : mapLines(item as { [key: string]: Doc }, column + style.itemOffset, style)
    const first = lines[0] ?? ''
    return [`${pad}-${' '.repeat(style.itemOffset - 1)}${first.trimStart()}`, ...lines.slice(1)]
  })
}

/** Sprinkles comments: some at the end of lines, some on lines of their own. */
function withComments(lines: string[], r: Random): string[] {
  return lines.flatMap((line, i) => {
    const out: string[] = []
    if (i > 0 && r.chance(0.08)) out.push(`${/^ */.exec(line)?.[0] ?? ''}# note ${i}`)
    out.push(r.chance(0.08) ? `${line} # why ${i}` : line)
    return out
  })
}

function render(docs: Doc[], r: Random): string {
  const indent = r.pick([2, 4])
  const style: Style = {
    indent,
    flush: r.chance(0.4),
    itemOffset: indent === 4 && r.chance(0.5) ? 4 : 2,
    quotes: r.pick(['plain', 'plain', 'single', 'double'] as const),
    comments: r.chance(0.5),
  }
  const texts = docs.map((doc) => {
    const lines = mapLines(doc as { [key: string]: Doc }, 0, style)
    return (style.comments ? withComments(lines, r) : lines).join('\n')
  })
  let text = `${texts.join('\n---\n')}\n`
  if (r.chance(0.15)) text = text.replace(/\n/g, '\r\n')
  if (r.chance(0.1)) text = text.replace(/\r?\n$/, '')
  return text
}

/** A file of one or two random workloads written in a random style; the same seed gives the same file. */
export function randomFile(seed: number): string {
  const r = new Random(seed)
  const docs = Array.from({ length: r.chance(0.2) ? 2 : 1 }, (_, i) => workload(r, `w${i}`))
  return render(docs, r)
}

/**
 * Severity refinements for Pod Security findings: the same finding, raised to critical where the
 * field hands over the node. The PSS rules call these; they report nothing themselves.
 */

/** Sockets of container runtimes (and the CRI shims in front of them): whoever reaches one starts privileged containers on the node. */
export const RUNTIME_SOCKETS: ReadonlySet<string> = new Set([
  'docker.sock',
  'containerd.sock',
  'crio.sock',
  'dockershim.sock',
  'cri-dockerd.sock',
  'podman.sock',
])

/** Windows named pipes of the same runtimes (`\\.\pipe\docker_engine`). */
const RUNTIME_PIPES = /^[\\/]{2}\.[\\/]pipe[\\/](docker_engine|containerd-containerd)$/i

/**
 * Host directories whose mount, or the mount of any directory above them, exposes the node: its
 * root, configuration and credentials (`/etc`, `/root`), the kubelet's state with every pod's
 * volumes (`/var/lib/kubelet`), the runtime sockets (`/var/run`, `/run`, which is the same
 * directory on current distributions, and the runtimes' own socket directories), and the kernel
 * interfaces (`/proc`, `/sys`, subtrees included, see below). Matching is exact (Linux paths are
 * case-sensitive) after `//`, `.`, `..` and trailing slashes are resolved.
 */
export const CRITICAL_HOST_DIRECTORIES: readonly string[] = [
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/var/run',
  '/run',
  '/var/lib/kubelet',
  '/root',
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
  '/var/run/crio',
]

/**
 * Subtrees where any path is critical: every file below `/proc` and `/sys` is a kernel interface
 * (`/proc/sys/kernel/core_pattern`, `/sys/fs/cgroup/…/release_agent` are known escapes), and
 * `/etc/kubernetes` holds the kubelet's and, on control-plane nodes, the cluster admin's
 * credentials. Other subpaths of `/etc` are not critical: `/etc/ssl/certs` or `/etc/localtime` are
 * routine read-only mounts that expose nothing the node needs to keep.
 */
export const CRITICAL_HOST_SUBTREES: readonly string[] = ['/proc', '/sys', '/etc/kubernetes']

/** `//`, `.`, `..` and a trailing slash resolved; null for a relative path. */
export function normalizeHostPath(path: string): string | null {
  if (!path.startsWith('/')) return null
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

function within(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory === '/' ? '/' : `${directory}/`)
}

/**
 * `critical` for a hostPath that hands over the node: a container runtime socket anywhere in the
 * path (as a path segment), one of the critical directories or a directory above one (mounting
 * `/var` exposes `/var/lib/kubelet`), or a path inside a critical subtree. Undefined otherwise, so
 * the rule's own severity stands. Never throws.
 */
export function hostPathSeverity(path: string): 'critical' | undefined {
  if (typeof path !== 'string') return undefined
  if (RUNTIME_PIPES.test(path)) return 'critical'
  if (path.split('/').some((segment) => RUNTIME_SOCKETS.has(segment))) return 'critical'
  const normalized = normalizeHostPath(path)
  if (normalized === null) return undefined
  if (CRITICAL_HOST_DIRECTORIES.some((directory) => within(directory, normalized))) return 'critical'
  if (CRITICAL_HOST_SUBTREES.some((subtree) => within(normalized, subtree))) return 'critical'
  return undefined
}

/** Capabilities that amount to root on the node: mount and namespace control, kernel modules, tracing other processes, or all of them. */
export const CRITICAL_CAPABILITIES: ReadonlySet<string> = new Set(['SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'ALL'])

/**
 * `critical` for an added capability that amounts to root on the node. Matching ignores case and a
 * `CAP_` prefix: Pod Security Admission compares names exactly, but containerd and CRI-O upper-case
 * what they are given (`sys_admin` grants CAP_SYS_ADMIN, `all` grants everything), and
 * `CAP_SYS_ADMIN` states the same intent even where a runtime rejects the spelling. Never throws.
 */
export function capabilitySeverity(capability: string): 'critical' | undefined {
  if (typeof capability !== 'string') return undefined
  const upper = capability.toUpperCase()
  const name = upper.startsWith('CAP_') ? upper.slice(4) : upper
  return CRITICAL_CAPABILITIES.has(name) ? 'critical' : undefined
}

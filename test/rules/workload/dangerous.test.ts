import { describe, expect, it } from 'vitest'
import { capabilitySeverity, hostPathSeverity, normalizeHostPath } from '../../../src/rules/workload/dangerous.js'

describe('hostPathSeverity', () => {
  it.each([
    // runtime sockets, anywhere in the path
    '/var/run/docker.sock',
    '/run/docker.sock',
    '/run/containerd/containerd.sock',
    '/run/k3s/containerd/containerd.sock',
    '/var/run/crio/crio.sock',
    '/var/run/dockershim.sock',
    '/var/run/cri-dockerd.sock',
    '/run/podman/podman.sock',
    '/var/run/docker.sock/',
    '\\\\.\\pipe\\docker_engine',
    '\\\\.\\pipe\\containerd-containerd',
    // the critical directories, exactly, in every spelling
    '/',
    '//',
    '/etc',
    '/etc/',
    '/proc',
    '/proc/',
    '/sys',
    '/sys/',
    '/var/run',
    '/var/run/',
    '/run',
    '/var/lib/kubelet',
    '/var/lib/kubelet/',
    '/root',
    '/root/',
    '/run/containerd',
    '/var/run/crio',
    '/var//run',
    '/var/./run',
    '/var/log/../run',
    // directories above them expose them
    '/var',
    '/var/lib',
    // subtrees: kernel interfaces and the kubelet's credentials
    '/proc/sys/kernel/core_pattern',
    '/proc/1/root',
    '/sys/fs/cgroup',
    '/sys/kernel/security',
    '/etc/kubernetes',
    '/etc/kubernetes/admin.conf',
    '/etc/kubernetes/pki/',
  ])('%s is critical', (path) => {
    expect(hostPathSeverity(path)).toBe('critical')
  })

  it.each([
    '/etc/ssl/certs',
    '/etc/localtime',
    '/etc/kubernetes-backup',
    '/var/log',
    '/var/lib/docker',
    '/var/lib/kubelet/pods',
    '/var/lib/kubelet/plugins',
    '/data',
    '/opt/app',
    '/usr/share/zoneinfo',
    '/rootfs',
    '/system',
    '/procfs',
    '/home/user/.docker.sock.bak',
    '/dev',
    'relative/path',
    '',
    '\\\\.\\pipe\\other',
  ])('%j keeps the rule severity', (path) => {
    expect(hostPathSeverity(path)).toBeUndefined()
  })

  it('never throws on non-strings', () => {
    expect(hostPathSeverity(undefined as unknown as string)).toBeUndefined()
    expect(hostPathSeverity(42 as unknown as string)).toBeUndefined()
  })

  it('normalizes paths', () => {
    expect(normalizeHostPath('/var//lib/./kubelet/')).toBe('/var/lib/kubelet')
    expect(normalizeHostPath('/a/../../etc')).toBe('/etc')
    expect(normalizeHostPath('etc')).toBeNull()
  })
})

describe('capabilitySeverity', () => {
  it.each(['SYS_ADMIN', 'ALL', 'SYS_MODULE', 'SYS_PTRACE', 'CAP_SYS_ADMIN', 'CAP_SYS_MODULE', 'CAP_SYS_PTRACE', 'CAP_ALL', 'sys_admin', 'all', 'Cap_Sys_Ptrace'])(
    '%s is critical',
    (capability) => {
      expect(capabilitySeverity(capability)).toBe('critical')
    },
  )

  it.each(['NET_RAW', 'NET_ADMIN', 'SYS_TIME', 'CHOWN', 'SYS_ADMINX', 'CAP_', '', ' SYS_ADMIN', 'CAP_CAP_SYS_ADMIN'])('%j keeps the rule severity', (capability) => {
    expect(capabilitySeverity(capability)).toBeUndefined()
  })

  it('never throws on non-strings', () => {
    expect(capabilitySeverity(null as unknown as string)).toBeUndefined()
  })
})

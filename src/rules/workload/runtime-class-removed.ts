import { asString } from '../../extract/json.js'
import type { TransitionRule, TransitionViolation } from '../rule.js'

/**
 * RuntimeClass names that run pods in a sandbox, as patterns: a trailing `*` matches any suffix,
 * anything else matches exactly (RuntimeClass names are lower-case DNS names, so case matters).
 * gVisor installs as `gvisor` (GKE Sandbox) or `runsc`, variants such as `runsc-kvm`; Kata
 * Containers as `kata` and per-hypervisor `kata-qemu`, `kata-fc`, `kata-clh`, … (AKS Pod
 * Sandboxing: `kata-vm-isolation`). `kata*` alone would also match `katana`, hence `kata-*`.
 */
export const DEFAULT_SANDBOX_RUNTIME_CLASSES: readonly string[] = [
  'gvisor',
  'gvisor-*',
  'runsc',
  'runsc-*',
  'kata',
  'kata-*',
]

/** Whether a RuntimeClass name is a sandbox by the patterns. */
export function isSandboxRuntimeClass(
  name: string,
  patterns: readonly string[] = DEFAULT_SANDBOX_RUNTIME_CLASSES,
): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  )
}

/**
 * The rule with a given list of sandbox RuntimeClasses (configuration will pass the default list
 * plus its own). Judges every kind with a pod, at both revisions; an added or deleted workload is
 * not a transition from a sandbox, so it is not reported.
 */
export function runtimeClassRemovedRule(sandboxes: readonly string[] = DEFAULT_SANDBOX_RUNTIME_CLASSES): TransitionRule {
  return {
    kind: 'transition',
    meta: {
      id: 'runtime-class-removed',
      title: 'Workload leaves its sandbox runtime',
      severity: 'high',
      description:
        'A sandbox runtime (gVisor, Kata Containers) puts a separate kernel between the pod and the node. Removing or replacing its RuntimeClass runs the same, usually untrusted, code directly on the shared host kernel.',
      remediation:
        'Keep `spec.runtimeClassName` set to the sandbox RuntimeClass; if the workload must leave the sandbox, get that reviewed as the security decision it is.',
      messages: {
        removed: 'The pod ran in the sandbox runtime "{{base}}" and now runs without a RuntimeClass.',
        changed: 'The pod ran in the sandbox runtime "{{base}}" and now runs in "{{head}}", which is not a sandbox.',
      },
    },
    appliesTo: ['*'],
    check: (change, context): TransitionViolation[] => {
      if (!change.base || !change.head) return []
      const basePod = context.podOf(change.base)
      const headPod = context.podOf(change.head)
      if (!basePod || !headPod) return []
      const base = asString(basePod.spec.runtimeClassName)
      if (base === undefined || !isSandboxRuntimeClass(base, sandboxes)) return []
      const head = asString(headPod.spec.runtimeClassName) ?? ''
      if (isSandboxRuntimeClass(head, sandboxes)) return []
      const path = [...headPod.specPath, 'runtimeClassName']
      return [
        {
          on: 'head',
          messageId: head === '' ? 'removed' : 'changed',
          data: head === '' ? { base } : { base, head },
          path,
          fix: {
            safety: 'review',
            description: `Run the pod in the "${base}" sandbox again.`,
            edits: [{ op: 'set', path, value: base }],
          },
        },
      ]
    },
  }
}

export const runtimeClassRemoved: TransitionRule = runtimeClassRemovedRule()

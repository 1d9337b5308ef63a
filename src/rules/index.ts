import { allowPrivilegeEscalation } from './pss/allow-privilege-escalation.js'
import { apparmorProfile } from './pss/apparmor-profile.js'
import { capabilitiesBaseline } from './pss/capabilities-baseline.js'
import { capabilitiesRestricted } from './pss/capabilities-restricted.js'
import { hostNamespaces } from './pss/host-namespaces.js'
import { hostPathVolumes } from './pss/host-path-volumes.js'
import { hostPorts } from './pss/host-ports.js'
import { hostProbesAndLifecycle } from './pss/host-probes-and-lifecycle.js'
import { privileged } from './pss/privileged.js'
import { procMount } from './pss/proc-mount.js'
import { procMountRestricted } from './pss/proc-mount-restricted.js'
import { restrictedVolumes } from './pss/restricted-volumes.js'
import { runAsNonRoot } from './pss/run-as-non-root.js'
import { runAsUser } from './pss/run-as-user.js'
import { seccompProfileBaseline } from './pss/seccomp-profile-baseline.js'
import { seccompProfileRestricted } from './pss/seccomp-profile-restricted.js'
import { selinuxOptions } from './pss/selinux-options.js'
import { sysctls } from './pss/sysctls.js'
import { windowsHostProcess } from './pss/windows-host-process.js'
import type { Rule } from './rule.js'
import { ADMISSION_RULES } from './admission/index.js'
import { NETWORK_RULES } from './network/index.js'
import { RBAC_RULES } from './rbac/index.js'
import { SECRETS_RULES } from './secrets/index.js'
import { WORKLOAD_RULES } from './workload/index.js'

/** The Pod Security Standards checks, each reporting only what no more severe check reports. */
export const PSS_RULES: readonly Rule[] = [
  // Pod Security Standards, baseline
  privileged,
  hostNamespaces,
  hostPorts,
  hostPathVolumes,
  capabilitiesBaseline,
  apparmorProfile,
  selinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndLifecycle,
  // Pod Security Standards, restricted (each reports only what its baseline counterpart does not)
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  procMountRestricted,
]

/** Every rule, in the order reports list them. An explicit list: no registration side effects. */
export const RULES: readonly Rule[] = [
  ...PSS_RULES,
  ...WORKLOAD_RULES,
  ...NETWORK_RULES,
  ...RBAC_RULES,
  ...ADMISSION_RULES,
  ...SECRETS_RULES,
]

import { hostNamespaces } from './pss/host-namespaces.js'
import { privileged } from './pss/privileged.js'
import type { Rule } from './rule.js'

/** Every rule, in the order reports list them. An explicit list: no registration side effects. */
export const RULES: readonly Rule[] = [privileged, hostNamespaces]

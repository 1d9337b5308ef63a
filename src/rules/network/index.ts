import type { Rule } from '../rule.js'
import { ingressNginxSnippet } from './ingress-nginx-snippet.js'
import { ingressTlsRemoved } from './ingress-tls-removed.js'
import { mtlsWeakened } from './mtls-weakened.js'
import { networkpolicyInvalid } from './networkpolicy-invalid.js'
import { networkpolicyRemoved } from './networkpolicy-removed.js'
import { networkpolicyWeakened } from './networkpolicy-weakened.js'
import { serviceExposed } from './service-exposed.js'
import { workloadUncovered } from './workload-uncovered.js'

/** The network rules, in the order reports list them. */
export const NETWORK_RULES: readonly Rule[] = [
  networkpolicyRemoved,
  networkpolicyWeakened,
  networkpolicyInvalid,
  workloadUncovered,
  serviceExposed,
  ingressTlsRemoved,
  ingressNginxSnippet,
  mtlsWeakened,
]

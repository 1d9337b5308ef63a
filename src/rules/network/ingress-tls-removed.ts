import { displayName } from '../../extract/identity.js'
import { asArray, asObject, asString } from '../../extract/json.js'
import type { JsonObject } from '../../model.js'
import type { TransitionRule } from '../rule.js'
import { INGRESS_KINDS, restoreFix, uniqueRef } from './shared.js'

export const ingressTlsRemoved: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'ingress-tls-removed',
    title: 'Ingress stops terminating TLS for a host',
    severity: 'medium',
    description:
      'A host the Ingress serves at both revisions was listed under `tls` at base and is not at head: its traffic, credentials and cookies included, now travels in clear text.',
    remediation: 'Keep the host in a `spec.tls[].hosts` list with a certificate Secret that covers it.',
    messages: {
      tlsRemoved: 'Ingress "{{ingress}}" no longer terminates TLS for host {{host}}.',
    },
  },
  appliesTo: INGRESS_KINDS,
  check: (change) => {
    const { base, head } = change
    if (!base || !head) return []
    const baseSpec = asObject(base.object.spec) ?? {}
    const headSpec = asObject(head.object.spec) ?? {}
    const baseHosts = new Set(ruleHosts(baseSpec).map((r) => r.host))
    const baseTls = tlsHosts(baseSpec)
    const headTls = tlsHosts(headSpec)
    const rules = asArray(headSpec.rules)
    const host = (item: unknown): string | undefined => asString(asObject(item)?.host)
    return ruleHosts(headSpec)
      .filter((r) => baseHosts.has(r.host) && covers(baseTls, r.host) && !covers(headTls, r.host))
      .map((r) => ({
        on: 'head' as const,
        messageId: 'tlsRemoved',
        data: { ingress: displayName(head.identity), host: r.host },
        path: ['spec', 'rules', uniqueRef(rules, r.index, host, 'host'), 'host'],
        fix: restoreFix('Restore the TLS section of the base.', ['spec', 'tls'], baseSpec.tls),
      }))
  },
}

/** The hosts the rules serve, first occurrence of each; rules without a host name none. */
function ruleHosts(spec: JsonObject): { host: string; index: number }[] {
  const seen = new Set<string>()
  return asArray(spec.rules).flatMap((item, index) => {
    const host = asString(asObject(item)?.host)
    if (!host || seen.has(host)) return []
    seen.add(host)
    return [{ host, index }]
  })
}

/**
 * The host names TLS is terminated for. A `tls` entry without `hosts` takes the controller's
 * wildcard default (`*`): it covers every host.
 */
function tlsHosts(spec: JsonObject): string[] {
  return asArray(spec.tls).flatMap((item) => {
    const entry = asObject(item)
    if (!entry) return []
    const hosts = asArray(entry.hosts).filter((h): h is string => typeof h === 'string' && h !== '')
    return hosts.length > 0 ? hosts : ['*']
  })
}

/** An exact name, `*`, or a wildcard `*.example.com` matching exactly one more label. */
function covers(tls: readonly string[], host: string): boolean {
  return tls.some((name) => {
    if (name === '*' || name === host) return true
    if (!name.startsWith('*.')) return false
    const dot = host.indexOf('.')
    return dot > 0 && host.slice(dot) === name.slice(1)
  })
}

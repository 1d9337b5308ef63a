// Preloaded into the action under test (`node --import net-guard.mjs dist/index.js`): every TCP
// connection and DNS lookup is checked against KR_NET_ALLOW (host:port of the fake GitHub). Any
// other destination is refused and written, one JSON line each, to KR_NET_LOG, so a test can
// assert that no request left for anywhere but the fake server.
import { appendFileSync } from 'node:fs'
import dns from 'node:dns'
import net from 'node:net'

const allow = new Set((process.env.KR_NET_ALLOW ?? '').split(',').filter(Boolean))
const log = process.env.KR_NET_LOG
const LOCAL = new Set(['127.0.0.1', 'localhost', '::ffff:127.0.0.1'])

function record(entry) {
  if (log) appendFileSync(log, `${JSON.stringify({ ...entry, stack: new Error().stack?.split('\n').slice(2, 8).join(' | ') })}\n`)
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0]
  if (Array.isArray(options)) options = options[0]
  let host
  let port
  let path
  if (options !== null && typeof options === 'object') {
    host = options.host ?? 'localhost'
    port = options.port
    path = options.path
  } else if (typeof options === 'string' && Number.isNaN(Number(options))) {
    path = options
  } else {
    port = options
    host = typeof args[1] === 'string' ? args[1] : 'localhost'
  }
  if (path !== undefined) {
    record({ kind: 'ipc', path })
    throw Object.assign(new Error(`net-guard: connection to ${path} refused`), { code: 'ECONNREFUSED' })
  }
  const target = `${LOCAL.has(host) ? '127.0.0.1' : host}:${port}`
  if (!allow.has(target)) {
    record({ kind: 'tcp', target })
    const error = Object.assign(new Error(`net-guard: connection to ${target} refused`), { code: 'ECONNREFUSED' })
    process.nextTick(() => this.destroy(error))
    return this
  }
  return connect.apply(this, args)
}

function refusedLookup(hostname) {
  return Object.assign(new Error(`net-guard: lookup of ${hostname} refused`), { code: 'ENOTFOUND', hostname })
}
const lookup = dns.lookup
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (LOCAL.has(hostname)) return lookup.call(this, hostname, ...rest)
  record({ kind: 'dns', hostname })
  const callback = rest.findLast((a) => typeof a === 'function')
  if (callback) process.nextTick(callback, refusedLookup(hostname))
  return {}
}
const promisesLookup = dns.promises.lookup
dns.promises.lookup = function guardedPromisesLookup(hostname, ...rest) {
  if (LOCAL.has(hostname)) return promisesLookup.call(this, hostname, ...rest)
  record({ kind: 'dns', hostname })
  return Promise.reject(refusedLookup(hostname))
}

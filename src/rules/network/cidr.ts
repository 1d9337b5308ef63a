/**
 * A small CIDR parser with the API server's leniency: Kubernetes validates `ipBlock` with
 * `ParseCIDRSloppy`, which takes IPv4 octets with leading zeros as decimal (`010.0.0.0/8`) and
 * host bits set (`10.0.0.1/8`), but nothing else: no zones, no missing octets, no second `/`.
 */
export interface Cidr {
  family: 4 | 6
  /** the address as written (host bits kept) */
  address: bigint
  prefix: number
}

/** The CIDR, or null when the API server would not parse it. Should not throw. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/')
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) return null
  const addressText = text.slice(0, slash)
  const prefixText = text.slice(slash + 1)
  if (!/^[0-9]+$/.test(prefixText)) return null
  const v4 = parseIPv4(addressText)
  const family = v4 !== null ? 4 : 6
  const address = v4 ?? parseIPv6(addressText)
  if (address === null) return null
  const prefix = Number(prefixText)
  if (prefix > bitsOf(family)) return null
  return { family, address, prefix }
}

/**
 * Whether `inner` is a strict subset of `outer`, as the API server requires of `except` entries:
 * same family, a longer prefix, and the same leading `outer.prefix` bits.
 */
export function strictlyContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix <= outer.prefix) return false
  const shift = BigInt(bitsOf(outer.family) - outer.prefix)
  return outer.address >> shift === inner.address >> shift
}

/** A prefix of length 0: every address of its family. */
export function isEverything(cidr: Cidr): boolean {
  return cidr.prefix === 0
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0n
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return null
    const octet = Number(part)
    if (octet > 255) return null
    value = (value << 8n) | BigInt(octet)
  }
  return value
}

function parseIPv6(text: string): bigint | null {
  if (text === '' || text.includes('%')) return null
  const halves = text.split('::')
  if (halves.length > 2) return null
  const head = groupsOf(halves[0] ?? '', halves.length === 1)
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : []
  if (head === null || tail === null) return null
  const missing = 8 - head.length - tail.length
  // `::` stands for at least one zero group; without it the groups must number exactly eight
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  let value = 0n
  for (const group of [...head, ...Array<number>(Math.max(missing, 0)).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group)
  }
  return value
}

/** Hex groups of one side of `::`; a dotted IPv4 tail (`::ffff:10.0.0.1`) counts as two groups. */
function groupsOf(text: string, mayEndInIPv4: boolean): number[] | null {
  if (text === '') return []
  const parts = text.split(':')
  const groups: number[] = []
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && mayEndInIPv4 && part.includes('.')) {
      const v4 = parseIPv4(part)
      if (v4 === null) return null
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn))
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16))
    } else return null
  }
  return groups
}

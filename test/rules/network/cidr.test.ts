import { describe, expect, it } from 'vitest'
import { isEverything, parseCidr, strictlyContains } from '../../../src/rules/network/cidr.js'

function must(text: string) {
  const cidr = parseCidr(text)
  if (!cidr) throw new Error(`${text} should parse`)
  return cidr
}

describe('parseCidr', () => {
  it.each([
    '0.0.0.0/0',
    '10.0.0.0/8',
    '192.168.1.0/24',
    '10.0.0.1/8', // host bits set: accepted by the API server
    '010.000.000.000/8', // leading zeros: ParseCIDRSloppy reads them as decimal
    '255.255.255.255/32',
    '::/0',
    '::1/128',
    'fd00::/8',
    '2001:db8::/32',
    '2001:DB8:0:0:0:0:0:1/128',
    '1:2:3:4:5:6:7::/64',
    '::ffff:10.0.0.0/104',
    '1:2:3:4:5:6:1.2.3.4/96',
  ])('accepts %s', (text) => {
    expect(parseCidr(text)).not.toBeNull()
  })

  it.each([
    '0.0.0.0/0/32',
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0',
    '10.0.0/8',
    '10.0.0.256/8',
    '10.0.0.0.0/8',
    '10.0.0.0/',
    '/8',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '10.0.0.0/8 ',
    '1::2::3/64',
    '1:2:3:4:5:6:7:8::/64',
    '1:2:3:4:5:6:7/64',
    '12345::/16',
    'fe80::1%eth0/64',
    ':::/0',
    ':1::/16',
    '1.2.3.4::/96',
    'g::/16',
    '',
    'any',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeNull()
  })

  it('reads the address and prefix', () => {
    expect(must('10.1.2.3/16')).toEqual({ family: 4, address: 0x0a010203n, prefix: 16 })
    expect(must('::ffff:1.2.3.4/128')).toEqual({ family: 6, address: 0xffff01020304n, prefix: 128 })
    expect(must('1::/16').address).toBe(1n << 112n)
    expect(must('::1/128').address).toBe(1n)
  })

  it('knows a /0 is every address', () => {
    expect(isEverything(must('0.0.0.0/0'))).toBe(true)
    expect(isEverything(must('::/0'))).toBe(true)
    expect(isEverything(must('10.0.0.0/0'))).toBe(true)
    expect(isEverything(must('0.0.0.0/1'))).toBe(false)
  })
})

describe('strictlyContains', () => {
  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['0.0.0.0/0', '169.254.169.254/32', true],
    ['10.0.0.0/8', '10.0.0.0/8', false], // equal: not a strict subset
    ['10.0.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['10.0.0.0/8', '192.168.0.0/16', false],
    ['fd00::/8', 'fd00:1::/32', true],
    ['fd00::/8', 'fe00::/16', false],
    ['::/0', '10.0.0.0/8', false], // another family
    ['0.0.0.0/0', '::/1', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(strictlyContains(must(outer), must(inner))).toBe(expected)
  })
})

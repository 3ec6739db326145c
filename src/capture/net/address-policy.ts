import { BlockList, isIP } from 'node:net';

/** Why an address is refused, or null when it is a public unicast address. */
export type BlockReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'carrier-grade-nat'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'ipv4-mapped'
  | 'ipv4-translated'
  | 'not-an-ip';

const V4: [string, number, BlockReason][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'cloud-metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: [string, number, BlockReason][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'ipv4-mapped'],
  // Deprecated IPv4-compatible form (::a.b.c.d); nothing public uses it.
  ['::', 96, 'reserved'],
  ['64:ff9b::', 96, 'ipv4-translated'],
  ['64:ff9b:1::', 48, 'ipv4-translated'],
  ['100::', 64, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, 'ipv4-translated'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
  ['fd00:ec2::254', 128, 'cloud-metadata'],
];

// One BlockList per range keeps the reason reportable; longest prefixes first so the most
// specific reason wins. Rules are checked per family because BlockList matches an IPv4 address
// against IPv6 rules through its mapped form.
const RULES: { list: BlockList; reason: BlockReason; family: 'ipv4' | 'ipv6' }[] = [...V4.map((r) => [...r, 'ipv4'] as const), ...V6.map((r) => [...r, 'ipv6'] as const)]
  .sort((a, b) => b[1] - a[1])
  .map(([net, prefix, reason, family]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return { list, reason, family };
  });

/**
 * Classifies an IP address for server-side fetching: null for a public unicast address, else the
 * reason it must not be contacted (private, loopback, link-local, unique-local, CGNAT, multicast,
 * unspecified, IPv4-mapped IPv6, cloud metadata, reserved or documentation ranges).
 */
export function blockedReason(address: string): BlockReason | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not-an-ip';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const rule of RULES) {
    if (rule.family === type && rule.list.check(bare, type)) return rule.reason;
  }
  return null;
}

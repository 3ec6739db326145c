import type { StoredClaim } from '../store/claims-repo.js';

const LIST_NAMES: Record<string, string> = {
  'fcc-covered-list': 'the FCC Covered List',
  'us-1260h': "the Department of Defense's Section 1260H list of Chinese military companies",
  'us-entity-list': 'the Commerce Department Entity List',
  'ofac-sdn': 'the OFAC Specially Designated Nationals list',
  'ofac-ns-cmic': 'the OFAC Non-SDN Chinese Military-Industrial Complex list',
  uflpa: 'the UFLPA Entity List',
  'ndaa-889': 'the companies barred by section 889 of the NDAA',
  'us-any': 'a US government restriction or "banned" list',
};

const AUTHORITIES: Record<string, string> = {
  fcc: 'the Federal Communications Commission',
  us: 'the US government',
  dod: 'the Department of Defense',
  uk: 'the UK government',
};

export function listName(id: string | null): string {
  if (id === null) return 'a government list';
  return LIST_NAMES[id] ?? id;
}

/**
 * The meaning an ordinary reader takes from a statement, in words a letter can use. It names
 * the fact asserted and why it damages the subject (trustworthiness as a supplier).
 */
export function meaningOf(c: Pick<StoredClaim, 'subject' | 'predicate' | 'object' | 'polarity'>): string {
  const s = c.subject;
  const not = c.polarity === 'denied';
  switch (c.predicate) {
    case 'listed':
      return not
        ? `that ${s} is not on ${listName(c.object)}`
        : `that ${s} is on ${listName(c.object)}, so that buyers are barred or warned from dealing with it`;
    case 'banned':
      return not
        ? `that ${c.object ? (AUTHORITIES[c.object] ?? c.object) : 'no authority'} has not banned ${s}'s products`
        : `that ${c.object ? (AUTHORITIES[c.object] ?? c.object) : 'an authority'} has banned ${s}'s products, so that they can no longer lawfully be approved, sold or used`;
    case 'vulnerable':
      return not
        ? `that ${s}'s products have no known vulnerability${c.object ? ` ${c.object}` : ''}`
        : `that ${s}'s products have a security vulnerability${c.object ? ` (${c.object})` : ''} that puts customers at risk`;
    case 'backdoor':
      return not
        ? `that ${s}'s products have no hidden remote access`
        : `that ${s} has built hidden remote access or a kill switch into its products, which is a deliberate betrayal of its customers`;
    case 'data-access':
      return not
        ? `that ${s} cannot reach its customers' data`
        : `that ${s} can reach its customers' data or passes it to a state without their knowledge`;
    case 'state-control':
      return not
        ? `that ${s} is not controlled by a state, party or military`
        : `that ${s} is controlled or directed by a foreign state, party or military, so that it cannot be trusted as a supplier`;
    default:
      return `the statement about ${s} as quoted`;
  }
}

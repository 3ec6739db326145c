/**
 * Canonical form of a shared link, so that the same article shared through different trackers,
 * hosts and fragments counts as one object for co-link detection.
 */

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'igsh',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'cmpid',
  'campaign_id',
  'ocid',
  'spm',
  'si',
  'share',
  'shared',
  's_cid',
  'ito',
  'sr_share',
  'smid',
  'cid',
  'rss',
  'feature',
]);

function isTracking(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || n.startsWith('pk_') || n.startsWith('mtm_') || TRACKING_PARAMS.has(n);
}

/**
 * Canonicalise a URL: https scheme, lower-case host without `www.`/`m.`/`mobile.` and default
 * port, no fragment, no tracking parameters (utm_*, fbclid, gclid, ...), remaining parameters
 * sorted, no trailing slash except for the root, unreserved percent-escapes decoded.
 * Returns null for text that is not an http(s) URL.
 */
export function canonicalUrl(raw: string): string | null {
  let text = raw.trim();
  if (text === '') return null;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) text = `https://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  host = host.replace(/^(www\d*|m|mobile)\./, '');
  if (host === '') return null;
  const port = u.port === '' || u.port === '80' || u.port === '443' ? '' : `:${u.port}`;
  let path = u.pathname.replace(/%[0-9a-f]{2}/gi, (esc) => {
    const ch = String.fromCharCode(parseInt(esc.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : esc.toUpperCase();
  });
  path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '/') path = '';
  const params = [...u.searchParams.entries()].filter(([k]) => !isTracking(k));
  params.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const query = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;
  return `https://${host}${port}${path}${query}`;
}

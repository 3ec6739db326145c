import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchUrl } from '../capture/net/fetch.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import type { Workspace } from '../store/workspace.js';
import { CSL_URL } from './loaders/csl.js';
import { FCC_COVERED_LIST_URL } from './loaders/fcc-covered-list.js';
import { UFLPA_URL } from './loaders/uflpa.js';
import { importDataset, type ImportResult } from './service.js';

/** Where `lists update` fetches each source; files of one source land in one folder under these names. */
export const OFFICIAL_URLS: Readonly<Record<string, readonly { file: string; url: string }[]>> = {
  'fcc-covered-list': [{ file: 'covered-list.html', url: FCC_COVERED_LIST_URL }],
  uflpa: [{ file: 'uflpa.html', url: UFLPA_URL }],
  csl: [{ file: 'consolidated.csv', url: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv' }],
  'ofac-sdn': [
    { file: 'sdn.csv', url: 'https://www.treasury.gov/ofac/downloads/sdn.csv' },
    { file: 'alt.csv', url: 'https://www.treasury.gov/ofac/downloads/alt.csv' },
    { file: 'add.csv', url: 'https://www.treasury.gov/ofac/downloads/add.csv' },
  ],
};

/** Sources `lists update` cannot fetch, and what to do instead. */
export const NOT_FETCHED: Readonly<Record<string, string>> = {
  'us-1260h': 'the DoD publishes 1260H editions only as PDF; import the edition CSV with `claimtrace lists import us-1260h FILE`',
  'ndaa-889': 'a statute does not change; the bundled names stay valid',
};

export interface UpdateOptions {
  sources?: readonly string[];
  /** Replaces the URL of a source (its first file): a mirror, or a test server. */
  urls?: Readonly<Record<string, string>>;
  allowPrivateNetwork?: boolean;
}

export interface UpdateOutcome {
  sourceId: string;
  urls: string[];
  status: 'imported' | 'unchanged' | 'skipped' | 'failed';
  message: string;
  result?: ImportResult;
}

/** Errors that mean the network (or the host) cannot be reached, as opposed to a bad answer. */
function offline(err: unknown): boolean {
  return isAppError(err) && err.code === 'fetch_failed' && err.details?.['http'] === undefined;
}

async function updateOne(ws: Workspace, sourceId: string, opts: UpdateOptions): Promise<UpdateOutcome> {
  const files = (OFFICIAL_URLS[sourceId] ?? []).map((f, i) => (i === 0 && opts.urls?.[sourceId] ? { ...f, url: opts.urls[sourceId]! } : f));
  const urls = files.map((f) => f.url);
  const dir = mkdtempSync(join(tmpdir(), 'claimtrace-update-'));
  try {
    let finalUrl = urls[0]!;
    for (const [i, f] of files.entries()) {
      let res;
      try {
        res = await fetchUrl(f.url, {
          allowPrivateNetwork: opts.allowPrivateNetwork === true || ws.config.allowPrivateNetwork,
          allowAddresses: ws.config.testAllowAddresses,
          maxRedirects: ws.config.limits.maxRedirects,
          timeoutMs: ws.config.limits.fetchTimeoutMs,
          maxBytes: ws.config.limits.maxFileBytes,
        });
      } catch (err) {
        // alt.csv and add.csv only add aliases and countries: sdn.csv alone still makes a version.
        if (i > 0 && offline(err)) continue;
        throw err;
      }
      if (res.status < 200 || res.status >= 300) {
        if (i > 0) continue;
        throw new AppError('fetch_failed', `${f.url} answered HTTP ${res.status} ${res.statusText}`.trim(), { http: res.status });
      }
      if (i === 0) finalUrl = res.finalUrl;
      writeFileSync(join(dir, f.file), res.body);
    }
    const path = sourceId === 'ofac-sdn' ? dir : join(dir, files[0]!.file);
    const result = await importDataset(ws, sourceId, path, { sourceUrl: finalUrl });
    return {
      sourceId,
      urls,
      status: result.created ? 'imported' : 'unchanged',
      message: result.created ? `imported ${result.records} records (version ${result.version?.id})` : 'unchanged: this version is already stored',
      result,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fetches the official files with the SSRF-safe fetcher and imports each as a new dataset
 * version. A source whose host cannot be reached is skipped as offline, never a failure, so an
 * offline workspace keeps working on what it has.
 */
export async function updateLists(ws: Workspace, opts: UpdateOptions = {}): Promise<UpdateOutcome[]> {
  const wanted = opts.sources && opts.sources.length > 0 ? opts.sources : [...Object.keys(OFFICIAL_URLS), ...Object.keys(NOT_FETCHED)];
  const out: UpdateOutcome[] = [];
  for (const sourceId of wanted) {
    if (NOT_FETCHED[sourceId]) {
      out.push({ sourceId, urls: [], status: 'skipped', message: `skipped: ${NOT_FETCHED[sourceId]}` });
      continue;
    }
    if (!OFFICIAL_URLS[sourceId]) {
      out.push({ sourceId, urls: [], status: 'failed', message: `no official URL is known for "${sourceId}" (known: ${Object.keys(OFFICIAL_URLS).join(', ')})` });
      continue;
    }
    try {
      out.push(await updateOne(ws, sourceId, opts));
    } catch (err) {
      if (offline(err)) out.push({ sourceId, urls: (OFFICIAL_URLS[sourceId] ?? []).map((f) => opts.urls?.[sourceId] ?? f.url).slice(0, 1), status: 'skipped', message: `skipped: offline (${errorMessage(err)})` });
      else out.push({ sourceId, urls: [], status: 'failed', message: errorMessage(err) });
    }
  }
  return out;
}

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openWorkspace } from '../../src/store/workspace.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';

const ITEMS = 400;

function rss(n: number): string {
  const items = Array.from({ length: n }, (_, i) => `<item><title>Brief ${i}</title><link>https://news.example/briefs/${i}</link><guid>brief-${i}</guid><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><description>Brief number ${i} about the market.</description></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Briefs</title><link>https://news.example/</link>${items.join('')}</channel></rss>`;
}

async function documentCount(home: string): Promise<number> {
  const ws = await openWorkspace(loadConfig({}, { home }));
  try {
    const r = await ws.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws.id).executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await ws.close();
  }
}

// Defect found by the crash campaign: a kill after a feed was stored but before all its items were
// lost the remaining items for good, because a re-run saw the feed as known and skipped it.
it('a feed whose ingest was killed between its items gets the rest of its items on the re-run', async () => {
  const dir = tempDir('claimtrace-feed-resume-');
  const home = join(dir, 'ws');
  const feed = join(dir, 'briefs.rss');
  writeFileSync(feed, rss(ITEMS));
  expect(cli(['--workspace', home, 'init']).code).toBe(0);

  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), '--workspace', home, 'ingest', feed, '--no-process'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let partial = 0;
  for (let i = 0; i < 1500 && child.exitCode === null; i++) {
    partial = await documentCount(home);
    if (partial >= 3) break;
    await sleep(10);
  }
  child.kill('SIGKILL');
  await exited;
  expect(partial, 'the kill should land after the feed and some items were stored').toBeGreaterThanOrEqual(3);
  const before = await documentCount(home);
  expect(before).toBeLessThan(ITEMS + 1);

  const again = cli(['--workspace', home, 'ingest', feed, '--no-process', '--json']);
  expect(again.code, again.stderr).toBe(0);
  expect(await documentCount(home)).toBe(ITEMS + 1);
  const results = again.json<{ status: string }[]>();
  expect(results.filter((r) => r.status === 'stored').length).toBe(ITEMS + 1 - before);
  const verify = cli(['--workspace', home, 'evidence', 'verify', '--json']);
  expect(verify.json<{ ok: boolean }>().ok, verify.stdout).toBe(true);
}, 120_000);

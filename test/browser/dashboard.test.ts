import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/capture/ingest.js';
import { loadConfig } from '../../src/config.js';
import { WEB_ROOT } from '../../src/http/app.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { CasesRepo } from '../../src/store/cases-repo.js';
import { ClaimsRepo } from '../../src/store/claims-repo.js';
import type { Workspace } from '../../src/store/workspace.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { exampleWorkspace, roleTokens } from './workspace.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(PROJECT_ROOT, 'docs', 'screenshots');
const FLAGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

const HOSTILE_HTML = `<!doctype html><html><head><title>Hostile page about Norvane</title></head><body>
<h1>Hostile page about Norvane</h1>
<p>Shown as text: &lt;img src=x onerror="window.__pwned=1"&gt; and &lt;script&gt;window.__pwned=2&lt;/script&gt;</p>
<script>window.__pwned = 3</script><img src="x" onerror="window.__pwned=4"><p onmouseover="window.__pwned=5">hover me</p>
</body></html>`;
const HOSTILE_TEXT = 'Raw text <script>window.__pwned=6</script><img src=x onerror="window.__pwned=7"> <svg onload="window.__pwned=8"></svg>';

function describeWithChromium(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) describe(name, fn);
  else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is absent: under CI the browser suite must run (.ci/run installs chromium)`);
      });
    });
  } else {
    console.warn(`[skipped] ${name}: ${CHROMIUM} is absent (apt-get install chromium)`);
    describe.skip(`${name} [skipped: ${CHROMIUM} absent]`, fn);
  }
}

describeWithChromium('dashboard in Chromium', () => {
  let ws: Workspace;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let tokens: Awaited<ReturnType<typeof roleTokens>>;
  let hostileIds: string[] = [];
  let caseId = '';
  let campaignId = '';

  const open = async (path: string): Promise<void> => {
    await page.goto(new URL(path, server.url).href);
    await page.waitForSelector('main h1, main .empty, main .error');
  };
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
  };

  beforeAll(async () => {
    if (!existsSync(join(WEB_ROOT, 'index.html'))) {
      const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`building the dashboard failed:\n${r.stderr}`);
    }
    mkdirSync(SHOTS, { recursive: true });
    ws = await exampleWorkspace(loadConfig({}, { home: join(tempDir(), 'ws') }));
    tokens = await roleTokens(ws);

    // Hostile captures: markup in the page and markup-looking text must stay inert.
    const dir = tempDir();
    writeFileSync(join(dir, 'hostile.html'), HOSTILE_HTML);
    writeFileSync(join(dir, 'hostile.txt'), HOSTILE_TEXT);
    const results = await ingest(ws, [join(dir, 'hostile.html'), join(dir, 'hostile.txt')]);
    hostileIds = results.map((r) => r.documentId!);

    // Verdicts and a review so the overview, queue and claim pages show every state.
    const claims = new ClaimsRepo(ws.db, ws.id);
    const all = await claims.list();
    const labels = ['SUPPORTED', 'REFUTED', 'NOT_ENOUGH_INFO'] as const;
    for (const [i, c] of all.slice(0, 12).entries()) {
      if (c.verdict) continue;
      await claims.saveVerdict(c.id, { label: labels[i % 3]!, asOf: c.published ?? '2024-01-01', asOfBasis: 'published', explanation: `Test verdict ${i}.`, evidence: [] }, `browser-${c.id}`);
    }

    // What the coordination and respond stages would store, written directly as fixtures.
    const actors = await ws.db.selectFrom('actors').select(['id', 'name']).orderBy('name').limit(5).execute();
    campaignId = 'cmp_browser';
    const edges = [
      { a: actors[0]!.name, b: actors[1]!.name, score: 3, explanations: ['posted the same link within 4 minutes, 5 times'] },
      { a: actors[1]!.name, b: actors[2]!.name, score: 2, explanations: ['near-identical text on 3 days'] },
      { a: actors[3]!.name, b: actors[4]!.name, score: 1.5, explanations: ['shared owner (affiliation)'] },
    ];
    await ws.db.insertInto('campaigns').values({ id: campaignId, workspace_id: ws.id, label: 'Test campaign', run_id: 'run1', scores_json: '{"total":6.5}', explanation: 'Five accounts pushed one narrative in step.', data_json: JSON.stringify({ edges }), created_at: new Date().toISOString() }).execute();
    for (const a of actors) await ws.db.insertInto('campaign_members').values({ campaign_id: campaignId, actor_id: a.id, role: null }).execute();
    const kase = await new CasesRepo(ws.db, ws.id).create(actors[0]!.id, 'open', { letters: [{ name: 'notice-letter', text: 'Dear Sir or Madam,\nThe statement of 3 March is inaccurate.' }] });
    caseId = kase.id;

    server = await startServer(ws, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('dialog', (d) => {
      throw new Error(`a dialog opened: ${d.message()}`);
    });
    await page.goto(`${server.url}#token=${tokens.admin}`);
    await page.waitForSelector('text=Claims over time');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ws?.close();
  });

  it('takes the token from the fragment, drops it from the address, and shows the overview', async () => {
    expect(page.url()).not.toContain('token=');
    await expect(page.locator('.cards .card').first().textContent()).resolves.toMatch(/\d+\s*documents/);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(2);
    await expect(page.locator('text=Test campaign').count()).resolves.toBe(1);
    await shot('overview');
  });

  it('filters and searches claims', async () => {
    await open('/claims');
    const count = async (): Promise<number> => Number((await page.getByTestId('claim-count').textContent())!.split(' ')[0]);
    const total = await count();
    await page.selectOption('select[aria-label=predicate]', 'listed');
    await page.waitForURL(/predicate=listed/);
    await page.waitForFunction((t) => !document.querySelector('[data-testid=claim-count]')?.textContent?.startsWith(`${t} `), total);
    const listed = await count();
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(total);
    const predicates = await page.locator('table.claims tbody tr td:nth-child(4)').allTextContents();
    expect(predicates.every((p) => /listed/.test(p))).toBe(true);
    await shot('claims');
    await page.selectOption('select[aria-label=predicate]', '');
    await page.fill('input[aria-label="search quotes"]', 'Entity List');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/q=Entity/);
    await page.waitForFunction(() => document.querySelectorAll('table.claims tbody tr').length > 0);
    const quotes = await page.locator('table.claims tbody tr td:nth-child(5)').allTextContents();
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.every((q) => q.toLowerCase().includes('entity list'))).toBe(true);
  });

  it('opens a claim with its quote highlighted in the document text and records a human review', async () => {
    const claim = (await new ClaimsRepo(ws.db, ws.id).list())[0]!;
    await open(`/claims/${claim.id}`);
    await page.waitForSelector('mark.focus');
    expect(await page.locator('mark.focus').textContent()).toBe(claim.quote);
    await shot('claim');
    await page.check('input[name=action][value=override]');
    await page.selectOption('select[name=label]', 'REFUTED');
    await page.fill('textarea[name=reason]', 'The regulator answered that no such order exists.');
    await page.setInputFiles('input[name=file]', { name: 'regulator.txt', mimeType: 'text/plain', buffer: Buffer.from('Regulator: no such order exists.') });
    await page.click('form.review button[type=submit]');
    await page.waitForSelector('.human-review');
    expect(await page.locator('.verdict h2 .badge').textContent()).toContain('human review');
    expect(await page.locator('.human-review').textContent()).toContain('no such order');
  });

  it('draws the campaign network coloured by community and explains edges', async () => {
    await open(`/campaigns/${campaignId}`);
    await page.waitForSelector('[data-testid=network] canvas');
    await page.waitForTimeout(300);
    // The WebGL canvas has drawn something: the element with its canvases differs from the same element without them.
    const net = page.getByTestId('network');
    const drawn = await net.screenshot();
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-testid=network] canvas').forEach((c) => (c.style.visibility = 'hidden')));
    const blank = await net.screenshot();
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-testid=network] canvas').forEach((c) => (c.style.visibility = '')));
    expect(drawn.equals(blank)).toBe(false);
    expect(drawn.length).toBeGreaterThan(blank.length * 2);
    expect(await page.locator('text=posted the same link within 4 minutes').count()).toBeGreaterThan(0);
    await shot('campaign');
  });

  it('shows the case with its letter and downloads it', async () => {
    await open(`/cases/${caseId}`);
    await page.waitForSelector('article.letter');
    expect(await page.locator('article.letter pre').textContent()).toContain('inaccurate');
    await shot('case');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('article.letter button')]);
    expect(dl.suggestedFilename()).toBe('notice-letter.txt');
  });

  it('refuses the case page to an analyst token', async () => {
    const p = await browser.newPage();
    await p.goto(`${server.url}cases#token=${tokens.analyst}`);
    await p.waitForSelector('main .error');
    expect(await p.locator('main .error').textContent()).toMatch(/counsel/);
    await p.close();
  });

  it('renders hostile captured pages inert: markup stays text and nothing runs', async () => {
    for (const id of hostileIds) {
      await open(`/documents/${id}`);
      await page.waitForSelector('pre.doctext');
      await page.hover('pre.doctext');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main img, main script, main svg[onload], main [onerror], main [onmouseover]').count()).toBe(0);
    }
    expect(await page.locator('pre.doctext').textContent()).toContain('<script>window.__pwned=6</script>');
    await open(`/documents/${hostileIds[0]}`);
    expect(await page.locator('pre.doctext').textContent()).toContain('<img src=x onerror="window.__pwned=1">');
  });

  it('lists documents with hashes and integrity, lists with screening, narratives and the review queue', async () => {
    await open('/documents');
    await page.waitForSelector('[data-testid=evidence-status]');
    expect(await page.getByTestId('evidence-status').textContent()).toContain('OK');
    expect(await page.locator('td .ok').count()).toBeGreaterThan(5);
    await shot('documents');
    await open('/lists');
    await page.fill('input[aria-label="name to screen"]', 'Norvane');
    await page.click('form.filters button');
    await page.waitForSelector('[data-testid=screen-result]');
    await shot('lists');
    await open('/narratives');
    await shot('narratives');
    await open('/review');
    await page.waitForSelector('main table, main .empty');
    await shot('review-queue');
  });
});

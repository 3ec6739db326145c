import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/capture/ingest.js';
import { loadConfig } from '../../src/config.js';
import { WEB_ROOT } from '../../src/http/app.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { createCase, type CaseFile } from '../../src/respond/cases.js';
import { ClaimsRepo } from '../../src/store/claims-repo.js';
import { DashboardRepo, type CampaignDetail } from '../../src/store/dashboard-repo.js';
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
  let kase: CaseFile;
  let campaign: CampaignDetail;

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

    // Everything below comes from the pipeline run: the campaign the coordination stage stored,
    // and a case opened the way counsel would, against a respondent with REFUTED statements.
    const dashboard = new DashboardRepo(ws.db, ws.id);
    const stored = (await dashboard.campaigns()).find((c) => c.members.some((m) => m.name === 'Graham Tolliver'));
    if (!stored) throw new Error('the coordination stage stored no campaign with Graham Tolliver: the example story changed');
    campaign = (await dashboard.campaign(stored.id))!;
    kase = await createCase(ws, 'Graham Tolliver', { user: 'browser-test' });

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
    // The real example story: refuted claims in the chart and the campaign the pipeline found.
    expect(await page.locator(`main a[href="/campaigns/${campaign.id}"]`).count()).toBe(1);
    expect(await page.locator('.cards').textContent()).toMatch(/[1-9]\d*\s*campaigns/);
    expect(await page.locator('svg.chart rect[fill="#c62828"]').count()).toBeGreaterThan(0);
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
    // One of the case's statements, so the case page later shows the human decision.
    const claim = (await new ClaimsRepo(ws.db, ws.id).get(kase.statements[0]!.claimId))!;
    expect(claim.verdict?.label).toBe('REFUTED');
    await open(`/claims/${claim.id}`);
    await page.waitForSelector('mark.focus');
    expect(await page.locator('mark.focus').textContent()).toBe(claim.quote);
    await shot('claim');
    await page.check('input[name=action][value=confirm]');
    await page.fill('textarea[name=reason]', 'The regulator answered that no such order exists.');
    await page.setInputFiles('input[name=file]', { name: 'regulator.txt', mimeType: 'text/plain', buffer: Buffer.from('Regulator: no such order exists.') });
    await page.click('form.review button[type=submit]');
    await page.waitForSelector('.human-review');
    expect(await page.locator('.verdict h2 .badge').textContent()).toContain('human review');
    expect(await page.locator('.human-review').textContent()).toContain('no such order');
  });

  it('draws the stored campaign network coloured by community and explains an edge on hover', async () => {
    await open(`/campaigns/${campaign.id}`);
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
    for (const m of campaign.members) expect(await page.locator('main li', { hasText: m.name }).count()).toBeGreaterThan(0);

    // Hover an edge: find pixels in the edge colour on the drawn canvas, then move the mouse there.
    const edgePixels = await page.evaluate(async (png) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const cv = document.createElement('canvas');
      cv.width = img.width;
      cv.height = img.height;
      const ctx = cv.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      const out: [number, number][] = [];
      // #90a4ae, the default edge colour; every 3rd pixel is plenty.
      for (let y = 0; y < img.height; y += 3)
        for (let x = 0; x < img.width; x += 3) {
          const i = (y * img.width + x) * 4;
          if (Math.abs(data[i]! - 0x90) < 14 && Math.abs(data[i + 1]! - 0xa4) < 14 && Math.abs(data[i + 2]! - 0xae) < 14) out.push([x, y]);
        }
      return out;
    }, drawn.toString('base64'));
    expect(edgePixels.length).toBeGreaterThan(10);
    const box = (await net.boundingBox())!;
    const hover = page.locator('p.hover');
    const stride = Math.max(1, Math.floor(edgePixels.length / 40));
    let explained = '';
    for (let i = 0; i < edgePixels.length && !explained; i += stride) {
      const [x, y] = edgePixels[i]!;
      await page.mouse.move(box.x + x, box.y + y);
      await page.waitForTimeout(30);
      const text = (await hover.textContent()) ?? '';
      if (text.includes(' — ') && text.includes(':') && !text.includes('community')) explained = text;
    }
    const edges = (campaign.data['edges'] ?? []) as { aName: string; bName: string; explanations: string[] }[];
    expect(edges.length).toBeGreaterThan(0);
    const hovered = edges.find((e) => explained.includes(e.aName) && explained.includes(e.bName));
    expect(hovered, `hover text: ${explained}`).toBeDefined();
    expect(explained).toContain(hovered!.explanations[0]!);
    // The table names the actors, not their ids.
    expect(await page.locator('main table td', { hasText: `${hovered!.aName} — ${hovered!.bName}` }).count()).toBe(1);
    await shot('campaign');
  });

  it('shows the case file with statements, campaign, affiliation and history, previews both letters and downloads the docx', async () => {
    await open(`/cases/${kase.id}`);
    await page.waitForSelector('article.letter[data-kind=cease-and-desist] pre');
    await page.waitForSelector('article.letter[data-kind=retraction] pre');
    expect(await page.locator('main h1').textContent()).toBe('Case: Graham Tolliver');
    const statementRows = page.locator('table.statements tbody tr');
    expect(await statementRows.count()).toBe(kase.statements.length + kase.reported.length);
    for (const s of [...kase.statements, ...kase.reported]) expect(await page.locator('table.statements', { hasText: s.quote }).count()).toBe(1);
    expect(await page.locator('table.statements .v-refuted').count()).toBe(kase.statements.length + kase.reported.length);
    // The review recorded in the claim test is marked as a human decision.
    expect(await page.locator('table.statements tr', { hasText: kase.statements[0]!.quote }).locator('.human-mark').count()).toBe(1);
    expect(await page.locator(`.case-campaigns a[href="/campaigns/${campaign.id}"]`).count()).toBe(1);
    expect(kase.affiliations.length).toBeGreaterThan(0);
    expect(await page.locator('.case-affiliations').textContent()).toContain(kase.affiliations[0]!.description);
    expect(await page.locator('table.history').textContent()).toMatch(/case\.create.*draft/);

    // Markdown shows as its characters: the draft notice keeps its asterisks, nothing becomes elements.
    const cd = page.locator('article.letter[data-kind=cease-and-desist]');
    const cdText = (await cd.locator('pre').textContent())!;
    expect(cdText).toContain('DRAFT FOR COUNSEL');
    expect(cdText).toContain(kase.statements[0]!.quote.slice(0, 40));
    expect(cdText).toMatch(/\*\*|^#/m);
    expect(await page.locator('article.letter pre *').count()).toBe(0);
    const rt = (await page.locator('article.letter[data-kind=retraction] pre').textContent())!;
    expect(rt).not.toBe(cdText);
    expect(rt.toLowerCase()).toContain('retraction');
    await shot('case');
    await cd.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'case-letters.png'), fullPage: false });

    const [dl] = await Promise.all([page.waitForEvent('download'), cd.locator('button[data-format=docx]').click()]);
    expect(dl.suggestedFilename()).toBe(`cease-and-desist-${kase.id}.docx`);
    const bytes = readFileSync((await dl.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBeGreaterThan(2000);
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

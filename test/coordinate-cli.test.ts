import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

interface NarrativeOut {
  id: string;
  claimCount: number;
  claims: string[];
  spread: Record<string, number>;
  verdictTimeline: { date: string; label: string; claimId: string }[];
  events: { action: string; user: string | null; claimId: string | null }[];
}

// Runs the built CLI: `npx tsc -p tsconfig.build.json` first.
describe('narratives, campaigns and similar on the demo workspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimtrace-coordinate-cli-'));
  const env = { CLAIMTRACE_USER: 'analyst-a' };
  const run = (args: string[]) => cli(['--workspace', join(dir, '.workspace', 'demo'), ...args], { cwd: dir, env });

  beforeAll(() => {
    const r = cli(['demo', '--no-serve'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);

  it('lists narratives with spread and verdict timeline, and keeps analyst decisions as history', () => {
    const list = run(['narratives', '--json']).json<NarrativeOut[]>();
    const [a, b] = list.filter((n) => n.claimCount >= 2);
    expect(a && b).toBeTruthy();
    const total = Object.values(a!.spread).reduce((x, y) => x + y, 0);
    expect(total).toBe(a!.claimCount);
    expect(a!.verdictTimeline.every((v) => a!.claims.includes(v.claimId))).toBe(true);

    const claim = a!.claims[0]!;
    const rej = run(['narratives', 'reject', claim, a!.id, '--json']);
    expect(rej.code, rej.stderr).toBe(0);
    const fresh = rej.json<{ newNarrativeId: string }>().newNarrativeId;
    const moved = run(['narratives', 'show', fresh, '--json']).json<NarrativeOut>();
    expect(moved.claims).toEqual([claim]);
    const old = run(['narratives', 'show', a!.id, '--json']).json<NarrativeOut>();
    expect(old.claims).not.toContain(claim);
    expect(old.events.at(-1)).toMatchObject({ action: 'reject', user: 'analyst-a', claimId: claim });

    expect(run(['narratives', 'confirm', claim, a!.id]).code).toBe(0);
    expect(run(['narratives', 'show', a!.id, '--json']).json<NarrativeOut>().claims).toContain(claim);

    expect(run(['narratives', 'merge', a!.id, b!.id]).code).toBe(0);
    const merged = run(['narratives', 'show', a!.id, '--json']).json<NarrativeOut>();
    for (const c of b!.claims) expect(merged.claims).toContain(c);
    expect(run(['narratives', '--json']).json<NarrativeOut[]>().map((n) => n.id)).not.toContain(b!.id);
    expect(run(['narratives', 'merge', a!.id, b!.id]).code).not.toBe(0);
  });

  it('shows campaigns with named explanations and exports them as GraphML and GEXF', () => {
    const campaigns = run(['campaigns', '--json']).json<{ actors: { name: string }[]; edges: { a: string; explanations: string[] }[]; scores: Record<string, number> }[]>();
    expect(campaigns.length).toBeGreaterThan(0);
    const names = campaigns.flatMap((c) => c.actors.map((a) => a.name));
    expect(names).toContain('@SecureChainWatch');
    for (const c of campaigns) {
      for (const e of c.edges) {
        expect(e.explanations.length).toBeGreaterThan(0);
        expect(e.explanations[0]).toContain(e.a);
        expect(e.explanations.join(' ')).not.toMatch(/act_[0-9a-f]{10}/);
      }
    }
    const gml = join(dir, 'c.graphml');
    expect(run(['campaigns', '--export', 'graphml', gml]).code).toBe(0);
    expect(readFileSync(gml, 'utf8')).toContain('<node id="@SecureChainWatch">');
    const gexf = join(dir, 'c.gexf');
    expect(run(['campaigns', '--export', 'gexf', gexf]).code).toBe(0);
    expect(readFileSync(gexf, 'utf8')).toContain('label="@SecureChainWatch"');
    expect(run(['campaigns', '--export', 'dot', gexf]).code).not.toBe(0);
  });

  it('ranks stored claims by similarity, and a TSV batch in the retrieval format', () => {
    const hits = run(['similar', 'the FCC has banned Norvane modules', '--top', '3', '--json']).json<{ rank: number; text: string }[]>();
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    expect(hits[0]!.text.toLowerCase()).toContain('banned norvane');

    const q = join(dir, 'q.tsv');
    const c = join(dir, 'c.tsv');
    writeFileSync(q, 'q1\tFCC banned Norvane modules\nq2\tPentagon added Norvane to the 1260H list\n');
    writeFileSync(c, 'c1\tThe FCC has banned Norvane modules\nc2\tNorvane is on the Pentagon 1260H list\nc3\tWeather station on LoRa\n');
    const out = run(['similar', '--batch', q, '--candidates', c, '--top', '2']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => l.slice(0, 3))).toEqual([
      ['q1', 'c1', '1'],
      ['q1', 'c2', '2'],
      ['q2', 'c2', '1'],
      ['q2', 'c1', '2'],
    ]);
  });
});

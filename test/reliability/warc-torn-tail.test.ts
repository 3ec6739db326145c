import { appendFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/capture/ingest.js';
import { verifyEvidence } from '../../src/capture/verify-evidence.js';
import { scanRecords, serializeRecord } from '../../src/capture/warc.js';
import { loadConfig } from '../../src/config.js';
import { initWorkspace, type Workspace } from '../../src/store/workspace.js';
import { tempDir } from '../support/databases.js';

// A write killed midway can only tear the end of a WARC file; verify must tell that apart from tampering.
describe('WARC torn tail', () => {
  let ws: Workspace;
  let warcPath: string;
  const dir = tempDir('claimtrace-torn-');

  beforeAll(async () => {
    ({ workspace: ws } = await initWorkspace(loadConfig({}, { home: join(dir, 'ws') })));
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `note-${n}.txt`), `Note ${n}: the statement was published on 2024-03-0${n}.\n`);
    const r = await ingest(ws, [1, 2, 3].map((n) => join(dir, `note-${n}.txt`)));
    expect(r.map((x) => x.status)).toEqual(['stored', 'stored', 'stored']);
    const files = readdirSync(ws.paths.warc);
    expect(files).toHaveLength(1);
    warcPath = join(ws.paths.warc, files[0]!);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('scanRecords returns the records before a torn record and the torn bytes as the tail', () => {
    const whole = readFileSync(warcPath);
    const extra = serializeRecord({ type: 'resource', date: '2024-01-01T00:00:00Z', contentType: 'text/plain', block: Buffer.from('x'.repeat(500)) }).bytes;
    const torn = Buffer.concat([whole, extra.subarray(0, 300)]);
    const scan = scanRecords(torn);
    expect(scan.records.length).toBe(scanRecords(whole).records.length);
    expect(scan.tail).toMatchObject({ offset: whole.byteLength, length: 300 });
    expect(scanRecords(whole).tail).toBeNull();
  });

  it('an unreferenced torn tail is a reported fragment, not a failure', async () => {
    const size = readFileSync(warcPath).byteLength;
    const extra = serializeRecord({ type: 'resource', date: '2024-01-01T00:00:00Z', contentType: 'text/plain', block: Buffer.from('y'.repeat(800)) }).bytes;
    appendFileSync(warcPath, extra.subarray(0, 417));
    const report = await verifyEvidence(ws);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.fragments).toEqual([expect.objectContaining({ offset: size, length: 417 })]);
    truncateSync(warcPath, size);
    expect((await verifyEvidence(ws)).fragments).toEqual([]);
  });

  it('cutting into a referenced record is still tampering', async () => {
    const whole = readFileSync(warcPath);
    try {
      truncateSync(warcPath, whole.byteLength - 10);
      const report = await verifyEvidence(ws);
      expect(report.ok).toBe(false);
      expect(report.problems.some((p) => p.kind === 'warc' && /unreadable part|missing/.test(p.message))).toBe(true);
      expect(report.fragments).toEqual([]);
    } finally {
      writeFileSync(warcPath, whole);
    }
    expect((await verifyEvidence(ws)).ok).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithShared } from '../../test/support/shared.js';
import { countCoActions } from './coaction.js';
import type { ActionTable } from './coaction.js';

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, a leading BOM. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

// The QUT coordination-network-toolkit links two accounts in its co-retweet network when both
// retweeted the same original tweet (repost_id) within the time window of each other; the edge
// weight is the number of distinct original tweets they co-retweeted, an account retweeting the
// same tweet twice counts once, and nobody is linked to themselves. Its own test runs this
// fixture with a 60-second window, which the timestamps are built around (gaps of 59 and 61 s).
describeWithShared('co-retweet network of the QUT toolkit fixture', ['fixtures/coordination/coretweet_test_input.csv'], ([file]) => {
  it('links the same accounts with the same weights as the toolkit definition', () => {
    const [header, ...rows] = parseCsv(readFileSync(file as string, 'utf8'));
    const col = (name: string): number => {
      const i = (header ?? []).indexOf(name);
      if (i < 0) throw new Error(`column ${name} missing`);
      return i;
    };
    const userCol = col('user_id');
    const repostCol = col('repost_id');
    const timeCol = col('timestamp');
    const actors = new Map<string, number>();
    const objects = new Map<string, number>();
    const retweets = rows.filter((r) => (r[repostCol] ?? '') !== '');
    const id = (m: Map<string, number>, k: string): number => {
      let v = m.get(k);
      if (v === undefined) {
        v = m.size;
        m.set(k, v);
      }
      return v;
    };
    const table: ActionTable = {
      actor: Int32Array.from(retweets, (r) => id(actors, r[userCol] as string)),
      object: Int32Array.from(retweets, (r) => id(objects, r[repostCol] as string)),
      time: Float64Array.from(retweets, (r) => Number(r[timeCol]) * 1000),
      source: Int32Array.from(retweets, (_, i) => i),
      actorCount: 0,
      objectCount: 0,
    };
    table.actorCount = actors.size;
    table.objectCount = objects.size;
    const counts = countCoActions(table, {
      windowMs: 60_000,
      tauMs: Infinity,
      maxActorsPerObject: 1_000_000,
      maxNeighbours: 1_000_000,
      objectWeight: () => 1,
    });
    const names = [...actors.keys()];
    const scale = 2 ** counts.actorBits;
    const edges: string[] = [];
    counts.keys.forEach((k, i) => {
      const a = names[Math.floor(k / scale)] as string;
      const b = names[k % scale] as string;
      const [x, y] = a < b ? [a, b] : [b, a];
      edges.push(`${x} ${y} ${counts.counts[i]}`);
    });
    edges.sort();
    // rtid0: uid0 (t=0 and t=1) and uid1 (t=59) -> one shared tweet, counted once.
    // rtid1: uid2/uid3 10 s apart; rtid2: the same pair 61 s apart, outside the window.
    // rtid3 (59 s) and rtid4 (1 s): uid4/uid5 twice. rtid5: uid10 alone; rtid6: 258 s apart.
    expect(edges).toEqual(['uid0 uid1 1', 'uid2 uid3 1', 'uid4 uid5 2']);
  });
});

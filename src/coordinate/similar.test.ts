import { describe, expect, it } from 'vitest';
import { analyze, buildSimilarIndex, entities, normalizeSocial, searchBm25, searchSimilar, similarBatch } from './similar.js';

const CANDIDATES = [
  { id: 'c1', text: 'Acme Modules are on the FCC Covered List.' },
  { id: 'c2', text: 'The FCC has banned Acme Modules in the United States.' },
  { id: 'c3', text: 'Acme Modules contain a hidden backdoor used by a foreign government.' },
  { id: 'c4', text: 'Huawei is on the FCC Covered List.' },
  { id: 'c5', text: 'Tap water in Ohio causes memory loss, according to the CDC.' },
  { id: 'c6', text: 'Wind turbines cause heart attacks, a senator said.' },
];

describe('normalisation', () => {
  it('reads hashtags, handles, links and stretched words the way a claim is written', () => {
    expect(normalizeSocial('RT @bob: #AcmeModules BANNED by @FCC!!! 😱 https://t.co/x')).not.toContain('http');
    expect(analyze('#AcmeModules sooooo banned by the govt')).toEqual(['acme', 'modul', 'soo', 'ban', 'government']);
    expect([...entities('Yesterday the FCC said #AcmeModules broke rules in 2023.')].sort()).toEqual(['2023', 'acme', 'fcc', 'modul']);
  });
});

describe('searchSimilar', () => {
  const index = buildSimilarIndex(CANDIDATES);

  it('finds the claim a post repeats despite hashtags, typos and slang', () => {
    const post = 'BREAKING 🚨 the govt FCC just BANNED #AcmeModules in the united states!!! https://t.co/abc';
    expect(searchSimilar(index, post, 3)[0]?.id).toBe('c2');
    expect(searchSimilar(index, 'acme moduls on the covred list??', 3)[0]?.id).toBe('c1');
  });

  it('beats plain BM25 where only character overlap connects post and claim', () => {
    const post = 'so #WindTurbines give you heartattacks now lol';
    expect(searchSimilar(index, post, 1)[0]?.id).toBe('c6');
    expect(searchBm25(index, post, 1)[0]?.id).not.toBe('c6');
  });

  it('uses the frame when both sides have one', () => {
    const framed = buildSimilarIndex([
      { id: 'a', text: 'Acme is on the list.', frame: { subject: 'acme', predicate: 'listed', object: 'us-1260h', polarity: 'affirmed' } },
      { id: 'b', text: 'Acme is on the list.', frame: { subject: 'acme', predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed' } },
    ]);
    const q = { text: 'Acme is on the list', frame: { subject: 'acme', predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed' } };
    expect(searchSimilar(framed, q, 2).map((h) => h.id)).toEqual(['b', 'a']);
    // Without a frame the two are tied and the id decides.
    expect(searchSimilar(framed, 'Acme is on the list', 2).map((h) => h.id)).toEqual(['a', 'b']);
  });
});

describe('similarBatch', () => {
  it('writes ranked TSV lines with ranks from 1 and ties broken by candidate id', () => {
    const out = similarBatch('q1\tFCC covered list Huawei\nq2\tnothing matches zzzz\n', 'x2\tsame text\nx1\tsame text\nx3\tHuawei is on the FCC Covered List\n', 2);
    const lines = out.trim().split('\n').map((l) => l.split('\t'));
    expect(lines[0]?.slice(0, 3)).toEqual(['q1', 'x3', '1']);
    expect(lines.every((l) => l.length === 4 && Number.isFinite(Number(l[3])))).toBe(true);
    const tie = similarBatch('q\tsame text\n', 'x2\tsame text\nx1\tsame text\n', 2);
    expect(tie).toBe(`q\tx1\t1\t${tie.split('\n')[0]?.split('\t')[3]}\nq\tx2\t2\t${tie.split('\n')[0]?.split('\t')[3]}\n`);
  });

  it('rejects malformed lines', () => {
    expect(() => similarBatch('no tab here\n', 'x\ty\n')).toThrow(/expected id<TAB>text/);
  });
});

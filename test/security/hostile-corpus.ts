import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { PROJECT_ROOT } from '../support/shared.js';

// Generates the nasty-file corpus ingested in one batch by hostile-files.test.ts (and by soak,
// several copies over): each file says what a correct outcome is.

const FORMATS = join(PROJECT_ROOT, 'test', 'fixtures', 'formats');

export interface HostileFile {
  name: string;
  /** 'error': must fail with a clear code; 'ok': must be stored with text; 'either': one or the other. */
  expect: 'error' | 'ok' | 'either';
  /** Text that must never reach the stored document (file contents pulled in, script bodies). */
  forbidden?: string;
}

function rezip(file: string, entry: string, edit: (xml: string) => string, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files = unzipSync(readFileSync(join(FORMATS, file)));
  const xml = new TextDecoder().decode(files[entry]!);
  files[entry] = strToU8(edit(xml));
  return zipSync({ ...files, ...extra });
}

const XXE = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
const LAUGHS = '<!DOCTYPE d [<!ENTITY a "lollollollol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>';

function withDoctype(xml: string, doctype: string, entity: string): string {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  // The entity is used inside the first text run so a parser that expands it would show it.
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${doctype}${body.replace(/(<w:t[^>]*>|<a:t>)/, `$1${entity}`)}`;
}

function pdf(objects: string[], trailer: string): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n${trailer}\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const stream = (s: string): string => `<< /Length ${s.length} >>\nstream\n${s}\nendstream`;
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** Writes the corpus into `dir` (suffix makes copies distinct for soak) and lists what each file must give. */
export function writeHostileCorpus(dir: string, suffix = ''): HostileFile[] {
  mkdirSync(dir, { recursive: true });
  const out: HostileFile[] = [];
  const put = (name: string, bytes: Uint8Array | string, f: Omit<HostileFile, 'name'>): void => {
    const n = suffix ? name.replace(/(\.[^.]+)?$/, `-${suffix}$1`) : name;
    writeFileSync(join(dir, n), bytes);
    out.push({ name: n, ...f });
  };

  // Zip bombs: 80 MB of one repeated byte inflates past the 50 MB cap.
  const zeros = new Uint8Array(80 * 1024 * 1024).fill(0x20);
  put('bomb.docx', rezip('letter.docx', 'word/document.xml', (x) => x, { 'word/media/pad.xml': zeros }), { expect: 'error' });
  put('bomb.pptx', rezip('deck.pptx', 'ppt/slides/slide1.xml', (x) => x, { 'ppt/media/pad.bin': zeros }), { expect: 'error' });
  // XXE and billion laughs in DOCX and PPTX.
  put('xxe.docx', rezip('letter.docx', 'word/document.xml', (x) => withDoctype(x, XXE, '&xxe;')), { expect: 'either', forbidden: 'root:x:0:0' });
  put('xxe.pptx', rezip('deck.pptx', 'ppt/slides/slide1.xml', (x) => withDoctype(x, XXE, '&xxe;')), { expect: 'either', forbidden: 'root:x:0:0' });
  put('laughs.docx', rezip('letter.docx', 'word/document.xml', (x) => withDoctype(x, LAUGHS, '&h;')), { expect: 'either', forbidden: 'lollollollollollollollol' });
  put('laughs.pptx', rezip('deck.pptx', 'ppt/slides/slide1.xml', (x) => withDoctype(x, LAUGHS, '&h;')), { expect: 'either', forbidden: 'lollollollollollollollol' });
  // PDFs: a page tree that contains itself, a form XObject that draws itself, and JavaScript actions.
  put('loop-pages.pdf', pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`, stream('BT /F1 12 Tf 72 720 Td (Looping page tree) Tj ET'), FONT], '<< /Size 6 /Root 1 0 R >>'), { expect: 'either' });
  put('loop-xobject.pdf', pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> >>`, stream('BT /F1 12 Tf 72 720 Td (Self drawing form) Tj ET /X1 Do'), `<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream`, FONT], '<< /Size 7 /Root 1 0 R >>'), { expect: 'either' });
  put('javascript.pdf', pdf([`<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /AA << /O 6 0 R >> >>`, stream('BT /F1 12 Tf 72 720 Td (Norvane statement with a script) Tj ET'), FONT, `<< /S /JavaScript /JS (require('fs').writeFileSync('/tmp/claimtrace-pwned', 'x'); app.alert('x');) >>`], '<< /Size 7 /Root 1 0 R >>'), { expect: 'ok' });
  // HTML with scripts and handlers, deep nesting, a gigantic line, binary junk.
  put('scripts.html', `<html><head><title>Statement</title><script>var SCRIPT_BODY_MARKER = document.cookie;</script></head><body><p onclick="alert(1)">Norvane Wireless is on the Entity List.</p><img src=x onerror="fetch('http://127.0.0.1:9/')"><script>SCRIPT_BODY_MARKER()</script><style>.x{}</style><iframe srcdoc="<script>SCRIPT_BODY_MARKER</script>"></iframe></body></html>`, { expect: 'ok', forbidden: 'SCRIPT_BODY_MARKER' });
  put('deep.html', `<html><body>${'<div>'.repeat(3000)}deep text${'</div>'.repeat(3000)}</body></html>`, { expect: 'ok' });
  put('gigantic-line.txt', `${'Norvane Wireless modules '.repeat(400_000)}end`, { expect: 'ok' });
  put('nul-bytes.txt', Buffer.concat([Buffer.from('Before nul '), Buffer.alloc(5000), Buffer.from(' after nul: Huawei is sanctioned.')]), { expect: 'either' });
  put('empty.txt', '', { expect: 'either' });
  put('junk.html', Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256)), { expect: 'either' });
  // Wrong extensions and truncated files.
  put('really-a-pdf.docx', readFileSync(join(FORMATS, 'report.pdf')), { expect: 'either' });
  put('really-html.pdf', '<html><body><p>An HTML page named .pdf</p></body></html>', { expect: 'either' });
  put('really-docx.txt', readFileSync(join(FORMATS, 'letter.docx')), { expect: 'either' });
  const cut = (f: string, frac: number): Buffer => {
    const b = readFileSync(join(FORMATS, f));
    return b.subarray(0, Math.floor(b.byteLength * frac));
  };
  put('truncated.pdf', cut('report.pdf', 0.4), { expect: 'either' });
  put('truncated.docx', cut('letter.docx', 0.5), { expect: 'error' });
  put('truncated.pptx', cut('deck.pptx', 0.5), { expect: 'error' });
  // A good file in the same batch: must be stored whatever the others do.
  put('good.md', '# A fine note\n\nNorvane Wireless is on the Entity List, the note says.\n', { expect: 'ok' });
  return out;
}

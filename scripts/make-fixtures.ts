/**
 * Writes the small binary test files under test/fixtures/formats/ with real writers (pdfkit, docx,
 * and an OOXML zip built with fflate for PPTX, since no installed package writes PPTX), plus hostile
 * files. Large hostile files (the oversized input) are made at test time, not here.
 *
 *   npx tsx scripts/make-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { Deflate, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import PDFDocument from 'pdfkit';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'formats');
// Fixed zip timestamps keep regenerated files byte-identical.
const MTIME = new Date('2024-03-01T00:00:00Z');

function write(name: string, bytes: Uint8Array): void {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name.padEnd(26)} ${bytes.length} bytes`);
}

function pdfBytes(build: (doc: PDFKit.PDFDocument) => void, info: PDFKit.DocumentInfo): Promise<Uint8Array> {
  return new Promise((ok, fail) => {
    const doc = new PDFDocument({ info, compress: true, autoFirstPage: true });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => ok(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', fail);
    build(doc);
    doc.end();
  });
}

async function makePdf(): Promise<void> {
  const bytes = await pdfBytes(
    (doc) => {
      doc.fontSize(18).text('Supply Chain Review 2024 (fictional)');
      doc.fontSize(11).text('Page one: Northwind Lighting Ltd states that it has no ties to any listed entity.');
      doc.addPage();
      doc.text('Page two: the company audited 14 suppliers in January 2024.');
      doc.text('Details at the registry site.', { link: 'https://registry.example.org/northwind' });
      doc.addPage();
      doc.text('Page three: conclusions and next steps.');
    },
    {
      Title: 'Supply Chain Review 2024',
      Author: 'Northwind Lighting Ltd',
      Subject: 'Fictional test report',
      Keywords: 'supply chain, audit',
      CreationDate: new Date('2024-02-15T09:30:00Z'),
      ModDate: new Date('2024-02-15T09:30:00Z'),
    },
  );
  write('report.pdf', bytes);

  // A PDF header followed by a broken body: the parser must fail cleanly.
  const corrupt = new Uint8Array(bytes.subarray(0, 600));
  corrupt.fill(0x21, 200, 600);
  write('corrupt.pdf', corrupt);
}

/**
 * Makes a docx-package DOCX reproducible: fixed dates in docProps/core.xml, and the random
 * hyperlink relationship ids replaced by numbered ones in both the rels and the document.
 */
function withFixedCoreDates(zip: Uint8Array, created: string): Uint8Array {
  const files = unzipSync(zip);
  const rels = files['word/_rels/document.xml.rels'];
  const body = files['word/document.xml'];
  if (rels && body) {
    let relsXml = new TextDecoder().decode(rels);
    let bodyXml = new TextDecoder().decode(body);
    const random = [...relsXml.matchAll(/Id="(rId[A-Za-z0-9_-]{8,})"/g)].map((m) => m[1] ?? '');
    random.forEach((id, i) => {
      relsXml = relsXml.split(`"${id}"`).join(`"rIdLink${i + 1}"`);
      bodyXml = bodyXml.split(`"${id}"`).join(`"rIdLink${i + 1}"`);
    });
    files['word/_rels/document.xml.rels'] = strToU8(relsXml);
    files['word/document.xml'] = strToU8(bodyXml);
  }
  const core = files['docProps/core.xml'];
  if (core) {
    const xml = new TextDecoder().decode(core)
      .replace(/(<dcterms:created[^>]*>)[^<]*/, `$1${created}`)
      .replace(/(<dcterms:modified[^>]*>)[^<]*/, `$1${created}`);
    files['docProps/core.xml'] = strToU8(xml);
  }
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = [data, { mtime: MTIME }];
  return zipSync(out, { level: 6 });
}

async function makeDocx(): Promise<Uint8Array> {
  const doc = new Document({
    creator: 'Dana Whitfield',
    title: 'Letter to the Editor',
    description: 'Fictional test letter',
    keywords: 'correction, letter',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Request for correction', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('Dear Editor,')] }),
          new Paragraph({
            children: [
              new TextRun('Your article of 3 March 2024 says Northwind Lighting Ltd is on the sanctions list. '),
              new TextRun('It is not, as the '),
              new ExternalHyperlink({
                children: [new TextRun({ text: 'official list', style: 'Hyperlink' })],
                link: 'https://lists.example.gov/consolidated',
              }),
              new TextRun(' shows.'),
            ],
          }),
          new Paragraph({ children: [new TextRun('Yours faithfully, Dana Whitfield')] }),
        ],
      },
    ],
  });
  const bytes = withFixedCoreDates(new Uint8Array(await Packer.toBuffer(doc)), '2024-03-05T10:00:00Z');
  write('letter.docx', bytes);
  return bytes;
}

const CT_PPTX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>
SLIDES<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`;

const CORE = (title: string, creator: string, created: string): string => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>${title}</dc:title><dc:creator>${creator}</dc:creator><cp:keywords>briefing</cp:keywords>
<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>
</cp:coreProperties>`;

function slideXml(paragraphs: string[]): string {
  const ps = paragraphs
    .map((p) => `<a:p><a:r><a:rPr lang="en-GB"/><a:t>${p}</a:t></a:r></a:p>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">
<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>
<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>
<p:txBody><a:bodyPr/><a:lstStyle/>${ps}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
}

/**
 * A minimal valid PPTX. Slides are stored as slide1, slide2, slide10 and the presentation lists
 * them in that order, so a reader that sorts file names as strings gets the order wrong.
 */
function makePptx(): void {
  const slides: [string, string[], string | null][] = [
    ['slide1.xml', ['Briefing: Northwind Lighting (fictional)', 'Prepared for the board'], null],
    ['slide2.xml', ['Claim: Northwind is on a sanctions list', 'Verdict: false as of March 2024'], 'https://lists.example.gov/consolidated'],
    ['slide10.xml', ['Next steps', 'Send the correction letter & keep the evidence'], null],
  ];
  const files: Zippable = {};
  const add = (name: string, text: string): void => {
    files[name] = [strToU8(text), { mtime: MTIME }];
  };
  add('[Content_Types].xml', CT_PPTX.replace('SLIDES', slides
    .map(([f]) => `<Override PartName="/ppt/slides/${f}" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>\n`)
    .join('')));
  add('_rels/.rels', ROOT_RELS);
  add('docProps/core.xml', CORE('Board Briefing on Northwind', 'Policy Team', '2024-03-10T08:00:00Z'));
  add('ppt/presentation.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">
<p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldIdLst>
<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>
</p:presentation>`);
  add('ppt/_rels/presentation.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
${slides.map(([f], i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/${f}"/>`).join('\n')}
</Relationships>`);
  for (const [f, paragraphs, link] of slides) {
    add(`ppt/slides/${f}`, slideXml(paragraphs.map((p) => p.replace(/&/g, '&amp;'))));
    if (link) {
      add(`ppt/slides/_rels/${f}.rels`, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${link}" TargetMode="External"/>
</Relationships>`);
    }
  }
  write('deck.pptx', zipSync(files, { level: 6 }));
}

/** Replaces word/document.xml of a real DOCX, keeping every other part. */
function docxWithDocument(base: Uint8Array, documentXml: Uint8Array | 'deflated-elsewhere'): Zippable {
  const files = unzipSync(base);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) {
    if (name === 'word/document.xml' && documentXml !== 'deflated-elsewhere') out[name] = [documentXml, { mtime: MTIME }];
    else if (name !== 'word/document.xml') out[name] = [data, { mtime: MTIME }];
  }
  return out;
}

function makeHostileDocx(base: Uint8Array): void {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;&xxe;</w:t></w:r></w:p></w:body></w:document>`;
  write('xxe.docx', zipSync(docxWithDocument(base, strToU8(laughs)), { level: 6 }));

  // ~60 MiB of one repeated byte deflates to about 60 KiB: past the 50 MiB inflation cap.
  const files = docxWithDocument(base, 'deflated-elsewhere');
  const chunks: Uint8Array[] = [];
  const deflater = new Deflate({ level: 9 }, (c) => chunks.push(c));
  const block = new Uint8Array(1024 * 1024).fill(0x20);
  const total = 60;
  for (let i = 0; i < total; i++) deflater.push(block, i === total - 1);
  const rest = zipSync(files, { level: 6 });
  write('bomb.docx', appendStoredDeflatedEntry(rest, 'word/document.xml', chunks, total * block.length));
}

/**
 * Adds an already-deflated entry to a zip made by fflate. fflate cannot add pre-compressed data,
 * so the entry is spliced in by hand: a local header, the data, and a rewritten central directory.
 */
function appendStoredDeflatedEntry(zip: Uint8Array, name: string, deflated: Uint8Array[], size: number): Uint8Array {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  const data = new Uint8Array(deflated.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of deflated) {
    data.set(c, at);
    at += c.length;
  }
  const nameBytes = strToU8(name);
  // CRC is left at 0: the guard must reject this file before any CRC could be checked.
  const local = new Uint8Array(30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, size, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, data.length, true);
  // A bomb lies about its size; the guard must count real inflated bytes.
  cv.setUint32(24, 4096, true);
  cv.setUint16(28, nameBytes.length, true);
  cv.setUint32(42, cdOffset, true);
  central.set(nameBytes, 46);
  const out = new Uint8Array(cdOffset + local.length + data.length + cdSize + central.length + 22);
  out.set(zip.subarray(0, cdOffset), 0);
  out.set(local, cdOffset);
  out.set(data, cdOffset + local.length);
  const newCd = cdOffset + local.length + data.length;
  out.set(zip.subarray(cdOffset, cdOffset + cdSize), newCd);
  out.set(central, newCd + cdSize);
  const ev = new DataView(out.buffer);
  const e = newCd + cdSize + central.length;
  ev.setUint32(e, 0x06054b50, true);
  ev.setUint16(e + 8, count + 1, true);
  ev.setUint16(e + 10, count + 1, true);
  ev.setUint32(e + 12, cdSize + central.length, true);
  ev.setUint32(e + 16, newCd, true);
  return out;
}

function makeFeeds(): void {
  write('feed.rss', strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Harbour Gazette (fictional)</title>
<link>https://gazette.example.net/</link>
<description>News</description>
<item>
<title>Northwind &amp; the sanctions list</title>
<link>https://gazette.example.net/2024/03/northwind</link>
<guid isPermaLink="false">gazette-1001</guid>
<pubDate>Sun, 03 Mar 2024 14:20:00 +0100</pubDate>
<dc:creator>Sam Okoro</dc:creator>
<description>&lt;p&gt;Northwind Lighting Ltd &lt;b&gt;is&lt;/b&gt; on the list, sources say.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Northwind Lighting Ltd <b>is</b> on the list, sources say. <a href="/2024/02/background">Background</a></p>]]></content:encoded>
</item>
<item>
<title>Second item</title>
<link>/2024/03/second</link>
<pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate>
<author>desk@gazette.example.net (News Desk)</author>
<description>Plain summary with &#233; and &#x2014; characters.</description>
</item>
</channel>
</rss>`));
  write('feed.atom', strToU8(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Policy Watch (fictional)</title>
<link href="https://watch.example.org/"/>
<id>urn:example:policy-watch</id>
<updated>2024-03-06T12:00:00Z</updated>
<entry>
<title type="text">Correction requested by Northwind</title>
<link rel="alternate" type="text/html" href="https://watch.example.org/posts/42"/>
<link rel="edit" href="https://watch.example.org/api/posts/42"/>
<id>urn:example:post:42</id>
<published>2024-03-06T11:00:00Z</published>
<updated>2024-03-06T12:00:00Z</updated>
<author><name>Lee Marsh</name></author>
<summary type="html">&lt;p&gt;Northwind asked for a correction.&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;Northwind asked for a &lt;em&gt;correction&lt;/em&gt; of the claim.&lt;/p&gt;</content>
</entry>
<entry>
<title type="html">Update &amp;amp; notes</title>
<link href="posts/43"/>
<id>urn:example:post:43</id>
<updated>2024-03-07T08:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>An <strong>xhtml</strong> body.</p></div></content>
</entry>
</feed>`));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await makePdf();
  const docx = await makeDocx();
  makePptx();
  makeHostileDocx(docx);
  // Named like a slide deck, but plain text: the extension must not pick the parser.
  write('not-a-zip.pptx', strToU8('This is a plain text file wearing a .pptx name.\n'));
  makeFeeds();
}

await main();

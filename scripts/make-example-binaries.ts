/**
 * Writes the binary documents of the fictional example case (examples/example-case/documents/):
 * the Alliance's PDF report (pdfkit), Norvane's cease-and-desist letter to Sablewing (docx),
 * Sablewing's distributor slide deck (PPTX as OOXML zipped with fflate, as no installed package
 * writes PPTX) and Wire & Signal Daily's RSS feed. Dates and zip timestamps are fixed, so running
 * it again gives byte-identical files.
 *
 *   npx tsx scripts/make-example-binaries.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import PDFDocument from 'pdfkit';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'example-case', 'documents');
const MTIME = new Date('2024-01-01T00:00:00Z');

function write(name: string, bytes: Uint8Array): void {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name.padEnd(48)} ${bytes.length} bytes`);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Zips entries with a fixed timestamp, so the same content always gives the same bytes. */
function zipFixed(files: Record<string, Uint8Array>): Uint8Array {
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = [data, { mtime: MTIME }];
  return zipSync(out, { level: 6 });
}

/** The advocacy group's report. One sentence per paragraph and short lines, so no claim wraps. */
async function makeReport(): Promise<void> {
  const pages: string[][] = [
    [
      'Connected Risk: Cellular Modules in US Critical Infrastructure',
      'A report of the Alliance for Trusted Connected Devices (fictional), April 2024.',
      'Cellular modules connect meters, pumps and medical devices to the network.',
    ],
    [
      'Findings',
      'Norvane Wireless is already on a US government banned list.',
      'Huawei and Hikvision equipment has been on the FCC Covered List since March 2021.',
      'Utilities bought most of their modules before anyone asked who writes the firmware.',
    ],
    [
      'Recommendations',
      'The Pentagon should add Norvane to its list of Chinese military companies.',
      'Sources: https://trusteddevices.test/policy/reports/connected-risk',
    ],
  ];
  const bytes = await new Promise<Uint8Array>((ok, fail) => {
    const doc = new PDFDocument({
      compress: true,
      info: {
        Title: 'Connected Risk: Cellular Modules in US Critical Infrastructure',
        Author: 'Alliance for Trusted Connected Devices',
        Subject: 'Fictional advocacy report for the claimtrace example case',
        CreationDate: new Date('2024-04-22T09:00:00Z'),
        ModDate: new Date('2024-04-22T09:00:00Z'),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => ok(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', fail);
    pages.forEach((lines, i) => {
      if (i > 0) doc.addPage();
      const [heading, ...rest] = lines;
      doc.fontSize(16).text(heading ?? '');
      doc.moveDown();
      for (const line of rest) {
        doc.fontSize(10).text(line);
        doc.moveDown(0.5);
      }
    });
    doc.end();
  });
  write('2024-04-22-atcd-connected-risk-report.pdf', bytes);
}

/** Norvane's cease-and-desist letter to Sablewing, with fixed core dates for reproducible bytes. */
async function makeLetter(): Promise<void> {
  const para = (text: string) => new Paragraph({ children: [new TextRun(text)] });
  const doc = new Document({
    creator: 'Norvane Wireless',
    title: 'Cease and desist: statements about Norvane modules',
    description: 'Fictional letter for the claimtrace example case',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Cease and desist', heading: HeadingLevel.HEADING_1 }),
          para('To: Sablewing Semiconductor, Legal Department'),
          para('6 November 2023'),
          para('Dear Sir or Madam,'),
          para('Your customer briefing of 12 September 2023 states that Norvane modules are on a US government banned list.'),
          para('That statement is false. Norvane Wireless is not on the FCC Covered List.'),
          para('The FCC has not banned Norvane modules.'),
          para('We demand that you withdraw the briefing and correct it in writing within 14 days.'),
          para('Yours faithfully,'),
          para('Legal Department, Norvane Wireless (fictional)'),
        ],
      },
    ],
  });
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(doc)));
  const core = files['docProps/core.xml'];
  if (core) {
    files['docProps/core.xml'] = strToU8(
      new TextDecoder()
        .decode(core)
        .replace(/(<dcterms:created[^>]*>)[^<]*/, '$12023-11-06T09:00:00Z')
        .replace(/(<dcterms:modified[^>]*>)[^<]*/, '$12023-11-06T09:00:00Z'),
    );
  }
  write('2023-11-06-norvane-letter-to-sablewing.docx', zipFixed(files));
}

const SLIDE_NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

function slideXml(paragraphs: string[]): string {
  const ps = paragraphs.map((p) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${escapeXml(p)}</a:t></a:r></a:p>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld ${SLIDE_NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>
<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>
<p:txBody><a:bodyPr/><a:lstStyle/>${ps}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
}

/** Sablewing's distributor deck: a minimal valid PPTX (content types, relationships, core properties, slides). */
function makeDeck(): void {
  const slides: string[][] = [
    ['Distributor update: cellular modules, H2 2024', 'Sablewing Semiconductor (fictional)'],
    ['Why customers are switching', 'The FCC banned Norvane modules in 2023.', 'Lead times for Sablewing modules are down to six weeks.'],
    ['Lessons from telecoms', 'Huawei equipment has been on the FCC Covered List since 2021.'],
    ['Next steps', 'Ask your Sablewing representative about design-in support.'],
  ];
  const files: Record<string, Uint8Array> = {};
  const add = (name: string, text: string): void => {
    files[name] = strToU8(text);
  };
  add(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>
${slides.map((_, i) => `<Override PartName="/ppt/slides/slide${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`).join('\n')}
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`,
  );
  add(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`,
  );
  add(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Distributor update: cellular modules, H2 2024</dc:title><dc:creator>Sablewing Semiconductor</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-07-15T08:00:00Z</dcterms:created>
</cp:coreProperties>`,
  );
  add(
    'ppt/presentation.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation ${SLIDE_NS}>
<p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldIdLst>
<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>
</p:presentation>`,
  );
  add(
    'ppt/_rels/presentation.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
${slides.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${i + 1}.xml"/>`).join('\n')}
</Relationships>`,
  );
  slides.forEach((paragraphs, i) => add(`ppt/slides/slide${i + 1}.xml`, slideXml(paragraphs)));
  write('2024-07-15-sablewing-distributor-deck.pptx', zipFixed(files));
}

/** The outlet's RSS feed: two short briefs, each a true fact about a real listed company. */
function makeFeed(): void {
  const items = [
    {
      title: 'Pentagon adds Quectel to its 1260H list',
      link: 'https://wireandsignal.test/briefs/2025/01/08/quectel-1260h',
      guid: 'ws-brief-2025-0108',
      date: 'Wed, 08 Jan 2025 15:00:00 GMT',
      author: 'Wire & Signal Daily',
      text: 'The Department of Defense added Quectel to its Section 1260H list on January 7, 2025.',
    },
    {
      title: 'Reader question: is DJI on a Pentagon list?',
      link: 'https://wireandsignal.test/briefs/2025/07/01/dji-1260h',
      guid: 'ws-brief-2025-0701',
      date: 'Tue, 01 Jul 2025 09:30:00 GMT',
      author: 'Wire & Signal Daily',
      text: 'DJI has been on the Pentagon\u2019s 1260H list since October 2022.',
    },
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Wire &amp; Signal Daily: briefs (fictional)</title>
<link>https://wireandsignal.test/briefs/</link>
<description>Short items on lists, rules and the IoT supply chain. Fictional outlet.</description>
<lastBuildDate>Tue, 01 Jul 2025 09:30:00 GMT</lastBuildDate>
${items
  .map(
    (i) => `<item>
<title>${escapeXml(i.title)}</title>
<link>${i.link}</link>
<guid isPermaLink="false">${i.guid}</guid>
<pubDate>${i.date}</pubDate>
<dc:creator>${escapeXml(i.author)}</dc:creator>
<description>${escapeXml(i.text)}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`;
  write('2025-07-01-wire-signal-briefs-feed.xml', strToU8(xml));
}

await makeReport();
await makeLetter();
makeDeck();
makeFeed();

import type { Paragraph as DocxParagraph } from 'docx';
// docx and pdfkit load on first use: together they cost most of the CLI's start-up time.

/**
 * The Markdown subset letters and summaries are written in, and its rendering to DOCX and PDF.
 * Only line-level structure is read (headings, quotes, bullets, rules) plus **bold**, so the
 * words of a statement reach every format unchanged.
 */
export type Block =
  { type: 'h1' | 'h2' | 'h3' | 'p' | 'quote' | 'bullet' | 'mono'; runs: Run[] } | { type: 'rule' };

export interface Run {
  text: string;
  bold: boolean;
}

function runsOf(text: string): Run[] {
  const parts = text.split('**');
  // An odd number of markers means a literal "**" in the text: keep it as typed.
  if (parts.length % 2 === 0) return [{ text, bold: false }];
  return parts.map((t, i) => ({ text: t, bold: i % 2 === 1 })).filter((r) => r.text !== '');
}

/** Splits Markdown into blocks; consecutive plain lines join into one paragraph. */
export function parseBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let quote: string[] = [];
  const flush = (): void => {
    if (para.length > 0) blocks.push({ type: 'p', runs: runsOf(para.join(' ')) });
    if (quote.length > 0) blocks.push({ type: 'quote', runs: runsOf(quote.join(' ')) });
    para = [];
    quote = [];
  };
  for (const raw of md.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      flush();
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      blocks.push({ type: (['h1', 'h2', 'h3'] as const)[h[1]!.length - 1]!, runs: runsOf(h[2]!) });
    } else if (/^(-{3,}|\*{3,})$/.test(line.trim())) {
      flush();
      blocks.push({ type: 'rule' });
    } else if (line.startsWith('>')) {
      if (para.length > 0) flush();
      quote.push(line.replace(/^>\s?/, ''));
    } else if (/^\s*[-*]\s+/.test(line)) {
      flush();
      blocks.push({ type: 'bullet', runs: runsOf(line.replace(/^\s*[-*]\s+/, '')) });
    } else if (line.startsWith('    ')) {
      flush();
      blocks.push({ type: 'mono', runs: [{ text: line.slice(4), bold: false }] });
    } else {
      if (quote.length > 0) flush();
      para.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/** Renders Markdown to a DOCX file. */
export async function markdownToDocx(md: string, meta: { title: string; creator: string }): Promise<Buffer> {
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } = await import('docx');
  const children: DocxParagraph[] = parseBlocks(md).map((b) => {
    if (b.type === 'rule')
      return new Paragraph({
        text: '',
        border: { bottom: { style: 'single', size: 6, color: '999999', space: 1 } },
      });
    const runs = b.runs.map(
      (r) =>
        new TextRun({
          text: r.text,
          bold: r.bold,
          ...(b.type === 'quote' ? { italics: true } : {}),
          ...(b.type === 'mono' ? { font: 'Courier New', size: 16 } : {}),
        }),
    );
    switch (b.type) {
      case 'h1':
        return new Paragraph({ children: runs, heading: HeadingLevel.HEADING_1 });
      case 'h2':
        return new Paragraph({ children: runs, heading: HeadingLevel.HEADING_2 });
      case 'h3':
        return new Paragraph({ children: runs, heading: HeadingLevel.HEADING_3 });
      case 'quote':
        return new Paragraph({
          children: runs,
          indent: { left: 720, right: 720 },
          alignment: AlignmentType.LEFT,
        });
      case 'bullet':
        return new Paragraph({ children: runs, bullet: { level: 0 } });
      default:
        return new Paragraph({ children: runs, spacing: { after: 120 } });
    }
  });
  const doc = new Document({ creator: meta.creator, title: meta.title, sections: [{ children }] });
  return Packer.toBuffer(doc);
}

/**
 * Characters the PDF standard fonts cannot show are replaced by close ASCII, so nothing turns
 * into garbage glyphs; letters are drafts for counsel, the Markdown keeps the exact characters.
 */
function pdfSafe(text: string): string {
  return text
    .replace(/[\u2010-\u2012]/g, '-')
    .replace(/\u2192/g, '->')
    .replace(/\u2265/g, '>=')
    .replace(/\u2264/g, '<=')
    .replace(/[^\u0000-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');
}

/** Renders Markdown to a PDF (A4, standard fonts, no network, no embedded files). */
export async function markdownToPdf(md: string, meta: { title: string; creator: string }): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: meta.title, Author: meta.creator, Creator: 'claimtrace' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const write = (
    runs: Run[],
    font: { size: number; regular: string; bold: string },
    opts: { indent?: number; gap?: number; prefix?: string } = {},
  ): void => {
    const indent = opts.indent ?? 0;
    const list = opts.prefix ? [{ text: opts.prefix, bold: false }, ...runs] : runs;
    doc.x = left + indent;
    list.forEach((r, i) => {
      doc.font(r.bold ? font.bold : font.regular).fontSize(font.size);
      doc.text(pdfSafe(r.text), { width: width - indent * 2, continued: i < list.length - 1 });
    });
    doc.moveDown(opts.gap ?? 0.5);
  };
  for (const b of parseBlocks(md)) {
    switch (b.type) {
      case 'rule': {
        const y = doc.y + 4;
        doc
          .moveTo(left, y)
          .lineTo(left + width, y)
          .strokeColor('#999999')
          .stroke();
        doc.moveDown(0.8);
        break;
      }
      case 'h1':
        write(b.runs, { size: 16, regular: 'Helvetica-Bold', bold: 'Helvetica-Bold' }, { gap: 0.6 });
        break;
      case 'h2':
        write(b.runs, { size: 13, regular: 'Helvetica-Bold', bold: 'Helvetica-Bold' }, { gap: 0.4 });
        break;
      case 'h3':
        write(b.runs, { size: 11, regular: 'Helvetica-Bold', bold: 'Helvetica-Bold' }, { gap: 0.3 });
        break;
      case 'quote':
        write(
          b.runs,
          { size: 10, regular: 'Helvetica-Oblique', bold: 'Helvetica-BoldOblique' },
          { indent: 24 },
        );
        break;
      case 'bullet':
        write(
          b.runs,
          { size: 10, regular: 'Helvetica', bold: 'Helvetica-Bold' },
          { indent: 12, prefix: '\u2022 ', gap: 0.2 },
        );
        break;
      case 'mono':
        write(b.runs, { size: 7, regular: 'Courier', bold: 'Courier-Bold' }, { gap: 0.1 });
        break;
      default:
        write(b.runs, { size: 10, regular: 'Helvetica', bold: 'Helvetica-Bold' });
    }
  }
  doc.end();
  return done;
}

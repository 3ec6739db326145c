import { AppError } from '../../errors.js';
import type { DocumentPart, ParsedDocument, ParseLimits } from './types.js';
import { DEFAULT_LIMITS } from './types.js';

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/** Turns a PDF date string (D:YYYYMMDDHHmmSSOHH'mm') into ISO 8601, or null when it is not one. */
export function pdfDateToIso(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = !sign || sign === 'Z' || sign === 'z' ? 'Z' : `${sign}${oh}:${om}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

interface LinkAnnotationLike {
  subtype?: string;
  url?: string;
  unsafeUrl?: string;
}

function addInfo(metadata: Record<string, string>, info: unknown): void {
  if (typeof info !== 'object' || info === null) return;
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'string' && v.trim() !== '') metadata[k] = v.trim();
  }
}

/**
 * Extracts text per page (parts are page spans), links and the info dictionary from a PDF.
 * Uses the pdfjs-dist legacy build with eval and font loading off.
 * Throws AppError `too_large` past the size cap and `parse_failed` for a file pdf.js cannot read.
 */
export async function parsePdf(bytes: Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): Promise<ParsedDocument> {
  if (bytes.length > limits.maxFileBytes) {
    throw new AppError('too_large', `PDF is ${bytes.length} bytes, over the ${limits.maxFileBytes}-byte cap`);
  }
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (detaches) the buffer it is given, so hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pieces: string[] = [];
    const parts: DocumentPart[] = [];
    const links = new Set<string>();
    let offset = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let pageText = '';
      for (const item of content.items as TextItemLike[]) {
        if (typeof item.str !== 'string') continue;
        pageText += item.str;
        if (item.hasEOL) pageText += '\n';
      }
      pageText = pageText.replace(/[ \t]+\n/g, '\n').trim();
      const annotations = (await page.getAnnotations()) as LinkAnnotationLike[];
      for (const a of annotations) {
        const url = a.url ?? a.unsafeUrl;
        if (a.subtype === 'Link' && typeof url === 'string') links.add(url);
      }
      for (const m of pageText.matchAll(URL_IN_TEXT)) links.add(m[0].replace(/[.,;:]+$/, ''));
      if (n > 1) {
        pieces.push('\n\n');
        offset += 2;
      }
      parts.push({ label: `page ${n}`, start: offset, end: offset + pageText.length });
      pieces.push(pageText);
      offset += pageText.length;
      page.cleanup();
    }
    const meta = await doc.getMetadata();
    const metadata: Record<string, string> = {};
    addInfo(metadata, meta.info);
    const title = metadata['Title'] ?? null;
    const author = metadata['Author'] ?? null;
    const published = pdfDateToIso(metadata['CreationDate']);
    metadata['Pages'] = String(doc.numPages);
    await doc.destroy();
    return { text: pieces.join(''), title, author, published, metadata, links: [...links], parts };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const name = err instanceof Error ? err.name : 'Error';
    const why = err instanceof Error ? err.message : String(err);
    if (name === 'PasswordException') throw new AppError('parse_failed', 'PDF is encrypted with a password');
    throw new AppError('parse_failed', `PDF could not be read: ${why}`);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

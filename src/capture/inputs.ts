import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { DOCUMENT_KINDS, type DocumentKind } from '../domain/document.js';
import { AppError } from '../errors.js';

/** Metadata a user gives for a document, overriding what the document says of itself. */
export interface MetadataOverrides {
  title?: string;
  published?: string;
  actor?: string;
  publisher?: string;
  kind?: DocumentKind;
  url?: string;
}

export interface Post {
  id: string;
  author: string;
  text: string;
  created_at: string;
  url?: string | undefined;
  links?: string[] | undefined;
}

/** One thing to capture, after inputs (files, folders, manifests, posts files, URLs) are expanded. */
export type IngestItem =
  | { type: 'file'; path: string; location: string; overrides: MetadataOverrides; source: string }
  | { type: 'url'; url: string; overrides: MetadataOverrides; source: string }
  | { type: 'post'; post: Post; raw: Buffer; location: string; source: string }
  | { type: 'invalid'; location: string; code: 'invalid_input' | 'not_found'; message: string; source: string };

const manifestLine = z
  .object({
    path: z.string().min(1).optional(),
    url: z.string().url().optional(),
    title: z.string().optional(),
    published: z.string().optional(),
    actor: z.string().optional(),
    publisher: z.string().optional(),
    kind: z.enum(DOCUMENT_KINDS).optional(),
  })
  .refine((v) => v.path !== undefined || v.url !== undefined, { message: 'needs "path" or "url"' });

const postLine = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  author: z.string().min(1),
  text: z.string(),
  created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), { message: 'must be an ISO 8601 date-time' }),
  url: z.string().url().optional(),
  links: z.array(z.string()).optional(),
});

export function isUrl(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /^(file|data|javascript|ftp|gopher):/i.test(input);
}

/** Drops undefined fields, so optional properties stay absent rather than present-and-undefined. */
function clean<T>(o: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Reads a manifest: one JSON object per line; paths are relative to the manifest's folder. */
export function readManifest(file: string): IngestItem[] {
  const dir = dirname(resolve(file));
  const items: IngestItem[] = [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      items.push({ type: 'invalid', location: where, code: 'invalid_input', message: `${where} is not JSON`, source: file });
      return;
    }
    const parsed = manifestLine.safeParse(json);
    if (!parsed.success) {
      const msg = parsed.error.issues.map((x) => `${x.path.join('.') || 'line'} ${x.message}`).join('; ');
      items.push({ type: 'invalid', location: where, code: 'invalid_input', message: `${where}: ${msg}`, source: file });
      return;
    }
    const v = parsed.data;
    const overrides = clean<MetadataOverrides>({ title: v.title, published: v.published, actor: v.actor, publisher: v.publisher, kind: v.kind, url: v.url });
    if (v.path) {
      const path = resolve(dir, v.path);
      items.push({ type: 'file', path, location: v.url ?? path, overrides, source: file });
    } else if (v.url) {
      items.push({ type: 'url', url: v.url, overrides, source: file });
    }
  });
  return items;
}

/**
 * Reads a posts file: `{id, author, text, created_at, url?, links?}` per line. A file whose
 * lines are of neither the posts nor the manifest shape is rejected whole, with the first bad line.
 */
export function readPosts(file: string): IngestItem[] {
  const raw = readFileSync(file);
  const items: IngestItem[] = [];
  const lines = raw.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const bytes = Buffer.from(line, 'utf8');
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new AppError('invalid_input', `${file} line ${i + 1} is not JSON: a .jsonl file must hold posts ({id, author, text, created_at}) or, with --manifest, a manifest`);
    }
    const parsed = postLine.safeParse(json);
    if (!parsed.success) {
      const looksLikeManifest = manifestLine.safeParse(json).success;
      const hint = looksLikeManifest ? ' It looks like a manifest: pass it with --manifest.' : '';
      const msg = parsed.error.issues.map((x) => `${x.path.join('.') || 'line'} ${x.message}`).join('; ');
      throw new AppError('invalid_input', `${file} line ${i + 1} is not a post (${msg}).${hint} Posts need {id, author, text, created_at}.`);
    }
    const post = clean<Post>(parsed.data);
    const location = post.url ?? `post:${encodeURIComponent(post.author)}/${encodeURIComponent(post.id)}`;
    items.push({ type: 'post', post, raw: bytes, location, source: file });
  }
  return items;
}

const SKIP_NAMES = /^(\.|node_modules$|__MACOSX$)/;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP_NAMES.test(entry.name)) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

/** Expands what the user named (files, folders, posts files, URLs, one manifest) into items. */
export function expandInputs(inputs: string[], opts: { manifest?: string; overrides: MetadataOverrides }): IngestItem[] {
  const items: IngestItem[] = [];
  if (opts.manifest) items.push(...readManifest(opts.manifest));
  for (const input of inputs) {
    if (isUrl(input)) {
      items.push({ type: 'url', url: input, overrides: opts.overrides, source: input });
      continue;
    }
    const path = resolve(input);
    let st;
    try {
      st = statSync(path);
    } catch {
      items.push({ type: 'invalid', location: path, code: 'not_found', message: `no such file or folder: ${input}`, source: input });
      continue;
    }
    const files: string[] = [];
    if (st.isDirectory()) walk(path, files);
    else files.push(path);
    for (const f of files) {
      if (extname(f).toLowerCase() === '.jsonl') {
        try {
          items.push(...readPosts(f));
        } catch (err) {
          const message = err instanceof AppError ? err.message : String(err);
          items.push({ type: 'invalid', location: f, code: 'invalid_input', message, source: f });
        }
      } else {
        items.push({ type: 'file', path: f, location: f, overrides: opts.overrides, source: basename(f) });
      }
    }
  }
  return items;
}

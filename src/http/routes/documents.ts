import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ingest, type IngestResult } from '../../capture/ingest.js';
import type { MetadataOverrides } from '../../capture/inputs.js';
import { DOCUMENT_KINDS } from '../../domain/document.js';
import { AppError } from '../../errors.js';
import { ClaimsRepo } from '../../store/claims-repo.js';
import { DocumentsRepo } from '../../store/documents-repo.js';
import type { Workspace } from '../../store/workspace.js';
import { pageQuery, paginate, type HandlerInput, type Route } from '../router.js';

const metadata = z.object({
  title: z.string().max(500).optional(),
  published: z.string().max(40).optional(),
  actor: z.string().max(200).optional(),
  publisher: z.string().max(200).optional(),
  kind: z.enum(DOCUMENT_KINDS).optional(),
});

const uploadQuery = metadata.extend({ filename: z.string().min(1).max(200).optional() });

function overridesFrom(m: z.infer<typeof metadata>): MetadataOverrides {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined && v !== '')) as MetadataOverrides;
}

/** A file name safe to write in the uploads folder: no folders, no leading dots. */
function safeName(name: string): string {
  const cleaned = basename(name).replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  return cleaned === '' ? 'upload.bin' : cleaned;
}

/**
 * Stores uploaded bytes under the workspace's uploads folder (a stable location for the
 * document row) and captures them like any other file.
 */
export async function ingestUpload(ws: Workspace, name: string, bytes: Uint8Array, overrides: MetadataOverrides): Promise<IngestResult> {
  if (bytes.byteLength === 0) throw new AppError('invalid_input', 'the uploaded file is empty');
  if (bytes.byteLength > ws.config.limits.maxFileBytes) throw new AppError('too_large', `the upload is over the ${ws.config.limits.maxFileBytes}-byte limit per file`);
  const dir = join(ws.paths.root, 'uploads', new Date().toISOString().slice(0, 10));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${Date.now().toString(36)}-${safeName(name)}`);
  writeFileSync(path, bytes);
  const [result] = await ingest(ws, [path], { overrides });
  if (!result) throw new AppError('internal', 'the upload produced no ingest result');
  return result;
}

/** Reads a `file` part from a multipart body, or the raw body with ?filename=. */
export async function readUpload(input: HandlerInput): Promise<{ name: string; bytes: Uint8Array; fields: Record<string, string> } | null> {
  const type = input.c.req.header('content-type') ?? '';
  if (type.includes('multipart/form-data')) {
    const form = await input.c.req.parseBody();
    const fields: Record<string, string> = {};
    let file: File | null = null;
    for (const [k, v] of Object.entries(form)) {
      if (typeof v === 'string') fields[k] = v;
      else if (k === 'file' && v instanceof File) file = v;
    }
    if (!file) return { name: '', bytes: new Uint8Array(), fields };
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), fields };
  }
  if (type.includes('application/json')) return null;
  const bytes = new Uint8Array(await input.c.req.arrayBuffer());
  return { name: String(input.query['filename'] ?? 'upload.bin'), bytes, fields: {} };
}

function stored(result: IngestResult): IngestResult {
  if (result.status === 'failed') throw new AppError((result.code as never) ?? 'parse_failed', result.error ?? 'the document could not be captured');
  return result;
}

export const documentRoutes: Route[] = [
  {
    spec: { operationId: 'listDocuments', method: 'get', path: '/documents', role: 'viewer', tag: 'documents', summary: 'List captured documents', query: pageQuery.extend({ status: z.enum(['stored', 'processed', 'failed']).optional() }), paginated: true, cacheable: true },
    handler: async ({ ws, query }) => {
      const repo = new DocumentsRepo(ws.db, ws.id);
      if (query['status']) return paginate(await repo.list({ status: query['status'] as 'stored' }), query);
      // Unfiltered, the page and the total come from SQL: reading every document to cut 50 of
      // them cost ~10 ms per request at 1,000 documents.
      const limit = Number(query['limit'] ?? 50);
      const offset = Number(query['offset'] ?? 0);
      const [items, total] = [await repo.list({ limit, offset }), await repo.count()];
      return { items, total, limit, offset };
    },
  },
  {
    spec: { operationId: 'getDocument', method: 'get', path: '/documents/:id', role: 'viewer', tag: 'documents', summary: 'A document with its extracted text, captures, stage status and claims' },
    handler: async ({ ws, params }) => {
      const repo = new DocumentsRepo(ws.db, ws.id);
      const doc = await repo.get(params['id']!);
      const [captures, stages, claims] = await Promise.all([repo.captures(doc.id), repo.stages(doc.id), new ClaimsRepo(ws.db, ws.id).list({ documentId: doc.id })]);
      return { ...doc, captures, stages, claims: claims.map((c) => ({ id: c.id, start: c.start, end: c.end, predicate: c.predicate, quote: c.quote })) };
    },
  },
  {
    spec: {
      operationId: 'uploadDocument', method: 'post', path: '/documents', role: 'analyst', tag: 'documents', target: 'document', upload: true, query: uploadQuery,
      summary: 'Upload a file (multipart `file` part with optional metadata fields, or the raw body with ?filename=) and capture it',
    },
    handler: async (input) => {
      const upload = await readUpload(input);
      if (!upload) throw new AppError('invalid_input', 'send the file as multipart/form-data (part "file") or as the raw request body');
      const meta = metadata.safeParse({ ...input.query, ...upload.fields });
      if (!meta.success) throw new AppError('invalid_input', `invalid metadata: ${meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const result = stored(await ingestUpload(input.ws, upload.name, upload.bytes, overridesFrom(meta.data)));
      input.note({ targetId: result.documentId, name: safeName(upload.name), sha256: result.sha256, status: result.status });
      return result;
    },
  },
  {
    spec: {
      operationId: 'captureUrl', method: 'post', path: '/documents/capture', role: 'analyst', tag: 'documents', target: 'document',
      summary: 'Fetch a URL (public addresses only) and capture it', body: metadata.extend({ url: z.string().url().max(2000) }),
    },
    handler: async ({ ws, body, note }) => {
      const { url, ...meta } = body as z.infer<typeof metadata> & { url: string };
      const [result] = await ingest(ws, [url], { overrides: overridesFrom(meta) });
      if (!result) throw new AppError('internal', 'the capture produced no result');
      note({ targetId: result.documentId, url, status: result.status });
      return stored(result);
    },
  },
];

import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTES, createApp } from '../src/http/app.js';
import { isLoopback, startServer } from '../src/http/server.js';
import { AuditRepo } from '../src/store/audit-repo.js';
import { CasesRepo } from '../src/store/cases-repo.js';
import { ClaimsRepo } from '../src/store/claims-repo.js';
import { ROLES, TokensRepo, type Role } from '../src/store/tokens-repo.js';
import type { Workspace } from '../src/store/workspace.js';
import { exampleWorkspace, roleTokens } from './browser/workspace.js';
import { describeEachDatabase } from './support/databases.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are inspected field by field

describeEachDatabase('HTTP API', (db) => {
  let ws: Workspace;
  let app: ReturnType<typeof createApp>;
  let tokens: Record<Role, string>;

  const call = async (method: string, path: string, token: string | null, init: RequestInit = {}): Promise<{ status: number; body: Json }> => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const res = await app.request(`/api/v1${path}`, { ...init, method, headers });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    ws = await exampleWorkspace(db.config());
    app = createApp(ws, { webRoot: null });
    tokens = await roleTokens(ws);
  });
  afterAll(async () => {
    await ws?.close();
  });

  const concrete = (path: string): string => path.replace(/:(\w+)/g, 'x_missing');

  it('rejects every route without a token, and with an unknown or revoked one', async () => {
    const revoked = await new TokensRepo(ws.db, ws.id).create('revoked', 'admin');
    await new TokensRepo(ws.db, ws.id).revoke(revoked.id);
    for (const { spec } of ROUTES) {
      for (const token of [null, 'ct_not-a-real-token', revoked.token]) {
        const r = await call(spec.method.toUpperCase(), concrete(spec.path), token);
        expect(r.status, `${spec.method} ${spec.path} with ${token ? 'a bad' : 'no'} token`).toBe(401);
        expect(r.body['error']['code']).toBe('unauthorized');
      }
    }
  });

  it('rejects every route for a token whose role is below the route\'s', async () => {
    let checked = 0;
    for (const { spec } of ROUTES) {
      for (const role of ROLES.slice(0, ROLES.indexOf(spec.role))) {
        const r = await call(spec.method.toUpperCase(), concrete(spec.path), tokens[role]);
        expect(r.status, `${spec.method} ${spec.path} as ${role}`).toBe(403);
        expect(r.body['error']['code']).toBe('forbidden');
        checked++;
      }
    }
    // Case files are counsel-only and tokens admin-only: those must be among the refusals.
    expect(ROUTES.find((r) => r.spec.path === '/cases/:id')?.spec.role).toBe('counsel');
    expect(ROUTES.filter((r) => r.spec.path.startsWith('/tokens')).every((r) => r.spec.role === 'admin')).toBe(true);
    expect(ROUTES.filter((r) => r.spec.method !== 'get').every((r) => r.spec.role !== 'viewer')).toBe(true);
    expect(checked).toBeGreaterThan(0);
  });

  it('publishes an OpenAPI 3.1 document that validates and lists every route', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc['openapi']).toBe('3.1.0');
    for (const { spec } of ROUTES) expect(doc['paths'][`/api/v1${spec.path.replace(/:(\w+)/g, '{$1}')}`][spec.method]['x-required-role']).toBe(spec.role);
  });

  it('pages claims with a total, filters them and searches quotes', async () => {
    const all = await call('GET', '/claims?limit=500', tokens.viewer);
    expect(all.status).toBe(200);
    const total = all.body['total'] as number;
    expect(total).toBeGreaterThan(5);
    const page = await call('GET', '/claims?limit=2&offset=1', tokens.viewer);
    expect(page.body['total']).toBe(total);
    expect(page.body['items'].map((c: Json) => c['id'])).toEqual(all.body['items'].slice(1, 3).map((c: Json) => c['id']));
    const listed = await call('GET', '/claims?predicate=listed&limit=500', tokens.viewer);
    expect(listed.body['total']).toBeGreaterThan(0);
    expect(listed.body['total']).toBeLessThan(total);
    expect(listed.body['items'].every((c: Json) => c['predicate'] === 'listed')).toBe(true);
    const word = (all.body['items'][0]['quote'] as string).split(/\s+/).find((w) => w.length > 6)!.replace(/[^\w]/g, '');
    const found = await call('GET', `/claims?q=${encodeURIComponent(word)}&limit=500`, tokens.viewer);
    expect(found.body['total']).toBeGreaterThan(0);
    expect(found.body['items'].every((c: Json) => `${c['quote']} ${c['subject']}`.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    const bad = await call('GET', '/claims?limit=0&predicate=nonsense', tokens.viewer);
    expect(bad.status).toBe(400);
    expect(bad.body['error']['code']).toBe('invalid_input');
    expect(bad.body['error']['message']).toMatch(/limit/);
  });

  it('returns a document with its text, captures and claim offsets, and 404 in the error model', async () => {
    const claims = await call('GET', '/claims?limit=1', tokens.viewer);
    const claim = claims.body['items'][0] as Json;
    const doc = await call('GET', `/documents/${claim['documentId']}`, tokens.viewer);
    expect(doc.status).toBe(200);
    expect((doc.body['text'] as string).slice(claim['start'], claim['end'])).toBe(claim['quote']);
    expect(doc.body['captures'][0]['sha256']).toBe(doc.body['sha256']);
    const missing = await call('GET', '/documents/doc_nope', tokens.viewer);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('doc_nope') } });
  });

  it('uploads a document, audits the write, and refuses a viewer', async () => {
    const form = new FormData();
    form.set('file', new File(['Norvane Systems denied it was ever placed on the Entity List, a spokesperson said on 3 March 2024.'], 'statement.txt', { type: 'text/plain' }));
    form.set('title', 'Uploaded statement');
    form.set('published', '2024-03-04');
    const up = await call('POST', '/documents', tokens.analyst, { body: form });
    expect(up.status).toBe(201);
    expect(up.body['status']).toBe('stored');
    const doc = await call('GET', `/documents/${up.body['documentId']}`, tokens.viewer);
    expect(doc.body['title']).toBe('Uploaded statement');
    expect(doc.body['text']).toContain('Entity List');
    const audit = await new AuditRepo(ws.db, ws.id).list({ targetType: 'document', targetId: up.body['documentId'] });
    expect(audit.map((a) => a.action)).toContain('api.uploadDocument');
    expect(audit[0]!.user).toMatch(/^token:test-analyst/);
    expect(JSON.stringify(audit)).not.toContain(tokens.analyst);
    const raw = await call('POST', '/documents?filename=raw.txt&title=Raw', tokens.analyst, { body: 'Plain body upload about Norvane.', headers: { 'content-type': 'text/plain' } });
    expect(raw.status).toBe(201);
    const refused = await call('POST', '/documents', tokens.viewer, { body: form });
    expect(refused.status).toBe(403);
  });

  it('refuses URL capture of a loopback address (SSRF guard) with a clear error', async () => {
    const r = await call('POST', '/documents/capture', tokens.analyst, json({ url: 'http://127.0.0.1:9/secret' }));
    expect(r.status).toBe(403);
    expect(r.body['error']['code']).toBe('blocked_address');
  });

  it('keeps a human override beside the automatic verdict, with evidence, and takes it out of the review queue', async () => {
    const repo = new ClaimsRepo(ws.db, ws.id);
    const claims = await repo.list();
    const [a, b] = [claims[0]!, claims[1]!];
    for (const c of [a, b]) {
      await repo.saveVerdict(c.id, { label: 'NOT_ENOUGH_INFO', asOf: '2024-01-01', asOfBasis: 'published', explanation: 'No official record held settles this.', evidence: [] }, `fp-${c.id}`);
    }
    const queue = await call('GET', '/reviews/queue?limit=500', tokens.viewer);
    expect(queue.body['items'].map((i: Json) => i['claim']['id'])).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(queue.body['items'][0]['spread']['actors']).toBeGreaterThanOrEqual(queue.body['items'].at(-1)['spread']['actors']);

    const form = new FormData();
    form.set('action', 'override');
    form.set('label', 'REFUTED');
    form.set('reason', 'The regulator answered in writing that no such order exists.');
    form.set('file', new File(['Letter from the regulator: no order concerning Norvane Systems exists.'], 'regulator-answer.txt'));
    const r = await call('POST', `/claims/${a.id}/reviews`, tokens.analyst, { body: form });
    expect(r.status).toBe(201);
    expect(r.body['human']).toBe(true);
    expect(r.body['evidenceDocumentId']).toMatch(/^doc_/);

    const got = await call('GET', `/claims/${a.id}`, tokens.viewer);
    expect(got.body['effectiveVerdict']).toEqual({ label: 'REFUTED', human: true, by: expect.stringMatching(/^token:test-analyst/) });
    expect(got.body['verdict']['label']).toBe('NOT_ENOUGH_INFO');
    expect(got.body['verdicts']).toHaveLength(1);
    expect(got.body['reviews']).toHaveLength(1);
    const evidence = await call('GET', `/documents/${r.body['evidenceDocumentId']}`, tokens.viewer);
    expect(evidence.body['text']).toContain('no order');

    const confirm = await call('POST', `/claims/${a.id}/reviews`, tokens.analyst, json({ action: 'confirm', reason: 'On reflection the automatic verdict stands.' }));
    expect(confirm.status).toBe(201);
    const history = await call('GET', `/claims/${a.id}/reviews`, tokens.viewer);
    expect(history.body['items'].map((x: Json) => [x['action'], x['label'], x['current']])).toEqual([
      ['override', 'REFUTED', false],
      ['confirm', 'NOT_ENOUGH_INFO', true],
    ]);
    const after = await call('GET', '/reviews/queue?limit=500', tokens.viewer);
    expect(after.body['items'].map((i: Json) => i['claim']['id'])).not.toContain(a.id);
    expect(after.body['items'].map((i: Json) => i['claim']['id'])).toContain(b.id);
    const filtered = await call('GET', '/claims?verdict=REFUTED&limit=500', tokens.viewer);
    expect(filtered.body['items'].map((c: Json) => c['id'])).not.toContain(a.id);
    expect((await new AuditRepo(ws.db, ws.id).list({ targetType: 'claim', targetId: a.id })).map((e) => e.action)).toEqual(['api.reviewClaim', 'api.reviewClaim']);
  });

  it('opens a real case over the API once, lets counsel read it, audits the reads, and refuses an analyst', async () => {
    expect((await call('POST', '/cases', tokens.analyst, json({ respondent: 'Graham Tolliver' }))).status).toBe(403);
    expect((await call('POST', '/cases', tokens.counsel, json({ respondent: 'No Such Actor' }))).body['error']['code']).toBe('not_found');
    const nothingFalse = await call('POST', '/cases', tokens.counsel, json({ respondent: 'IoT Ledger' }));
    expect([nothingFalse.status, nothingFalse.body['error']['code']]).toEqual([400, 'invalid_input']);
    expect((await call('POST', '/cases', tokens.counsel, json({}))).status).toBe(400);

    const made = await call('POST', '/cases', tokens.counsel, json({ respondent: 'Graham Tolliver' }));
    expect(made.status).toBe(201);
    expect(made.body['created']).toBe(true);
    expect(made.body['status']).toBe('draft');
    expect(made.body['statements'].length).toBeGreaterThan(0);
    expect(made.body['statements'].every((st: Json) => st['verdict']['label'] === 'REFUTED')).toBe(true);
    const id = made.body['id'] as string;
    // Asking again answers with the unfinished case instead of a second one.
    const again = await call('POST', '/cases', tokens.counsel, json({ respondent: 'Graham Tolliver' }));
    expect([again.status, again.body['id'], again.body['created']]).toEqual([200, id, false]);
    expect((await new CasesRepo(ws.db, ws.id).list()).filter((c) => c.respondentName === 'Graham Tolliver')).toHaveLength(1);

    expect((await call('GET', `/cases/${id}`, tokens.analyst)).status).toBe(403);
    const r = await call('GET', `/cases/${id}`, tokens.counsel);
    expect(r.status).toBe(200);
    expect(r.body['id']).toBe(id);
    expect(r.body['respondent']['name']).toBe('Graham Tolliver');
    expect(r.body['campaigns'].length).toBeGreaterThan(0);
    expect(r.body['history'].map((h: Json) => h['to'])).toContain('draft');
    const audit = await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: id });
    expect(audit.map((a) => a.action)).toEqual(['case.create', 'api.createCase', 'api.createCase', 'api.getCase']);
    expect(audit.every((a) => a.user.startsWith('token:test-counsel'))).toBe(true);
    const overview = await call('GET', '/overview', tokens.viewer);
    expect(overview.body['counts']['openCases']).toBeGreaterThanOrEqual(1);
  });

  it('renders a case letter in md, docx and pdf for counsel only, validated and audited', async () => {
    const id = (await new CasesRepo(ws.db, ws.id).list()).find((c) => c.respondentName === 'Graham Tolliver')!.id;
    const get = async (q: string, token: string): Promise<Response> => app.request(`/api/v1/cases/${id}/letter${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get('?kind=retraction&format=md', tokens.analyst)).status).toBe(403);
    const bad = await get('?kind=apology&format=md', tokens.counsel);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json)['error']['code']).toBe('invalid_input');
    expect((await get('?format=html', tokens.counsel)).status).toBe(400);

    const md = await get('?kind=retraction&format=md', tokens.counsel);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toContain('DRAFT FOR COUNSEL');
    expect(text).toContain('Graham Tolliver');
    const cd = await (await get('', tokens.counsel)).text();
    expect(cd).not.toBe(text);

    const docx = await get('?kind=cease-and-desist&format=docx', tokens.counsel);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toBe(`attachment; filename="cease-and-desist-${id}.docx"`);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    const pdf = await get('?kind=retraction&format=pdf', tokens.admin);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await get('', tokens.counsel)).status).toBe(200);
    expect((await app.request('/api/v1/cases/case_missing/letter', { headers: { authorization: `Bearer ${tokens.counsel}` } })).status).toBe(404);

    const letters = (await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: id })).filter((a) => a.action === 'api.getCaseLetter');
    expect(letters.map((a) => [a.details['letter'], a.details['format']])).toEqual([
      ['retraction', 'md'], ['cease-and-desist', 'md'], ['cease-and-desist', 'docx'], ['retraction', 'pdf'], ['cease-and-desist', 'md'],
    ]);
  });

  it('creates tokens for admins only and never lists secrets', async () => {
    const made = await call('POST', '/tokens', tokens.admin, json({ name: 'ci', role: 'viewer' }));
    expect(made.status).toBe(201);
    expect(made.body['token']).toMatch(/^ct_[\w-]{43}$/);
    expect((await call('GET', '/me', made.body['token'])).body['token']['role']).toBe('viewer');
    const list = await call('GET', '/tokens', tokens.admin);
    expect(JSON.stringify(list.body)).not.toContain(made.body['token']);
    expect(JSON.stringify(list.body)).not.toMatch(/token_hash|[0-9a-f]{64}/);
    expect((await call('POST', '/tokens', tokens.counsel, json({ name: 'x', role: 'admin' }))).status).toBe(403);
    expect((await call('DELETE', `/tokens/${made.body['id']}`, tokens.admin)).status).toBe(200);
    expect((await call('GET', '/me', made.body['token'])).status).toBe(401);
  });

  it('screens a name (empty lists answer with no matches) and verifies the evidence', async () => {
    const s = await call('GET', '/lists/screen?name=Norvane%20Systems&on=2024-01-01', tokens.viewer);
    expect(s.status).toBe(200);
    expect(s.body['matches']).toEqual(expect.any(Array));
    const e = await call('GET', '/evidence/verify', tokens.viewer);
    expect(e.body['ok']).toBe(true);
    expect(e.body['checked']['documents']).toBeGreaterThan(5);
  });
});

it('refuses to bind beyond loopback while no token exists', async () => {
  expect(isLoopback('127.0.0.1')).toBe(true);
  expect(isLoopback('::1')).toBe(true);
  expect(isLoopback('0.0.0.0')).toBe(false);
  expect(isLoopback('192.168.1.10')).toBe(false);
  const { initWorkspace } = await import('../src/store/workspace.js');
  const { loadConfig } = await import('../src/config.js');
  const { tempDir } = await import('./support/databases.js');
  const { workspace } = await initWorkspace(loadConfig({}, { home: tempDir() + '/ws' }));
  try {
    await expect(startServer(workspace, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'forbidden' });
    const server = await startServer(workspace, { host: '127.0.0.1', port: 0, webRoot: null });
    const res = await fetch(`${server.url}api/v1/me`);
    expect(res.status).toBe(401);
    await server.close();
  } finally {
    await workspace.close();
  }
});

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ROUTES, createApp } from '../../src/http/app.js';
import { createCase } from '../../src/respond/cases.js';
import { ClaimsRepo } from '../../src/store/claims-repo.js';
import { DocumentsRepo } from '../../src/store/documents-repo.js';
import { ROLES, TokensRepo, type Role } from '../../src/store/tokens-repo.js';
import type { Workspace } from '../../src/store/workspace.js';
import { exampleWorkspace } from '../browser/workspace.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { recordFigure } from './figures.js';

// Who may call what, written down here on its own so that a route whose role is lowered, or a new
// route nobody classified, fails this test instead of silently opening up.
const SPEC: Record<string, Role> = {
  me: 'viewer', overview: 'viewer', listClaims: 'viewer', getClaim: 'viewer', listVerdicts: 'viewer', listReviews: 'viewer', reviewQueue: 'viewer',
  listDocuments: 'viewer', getDocument: 'viewer', listNarratives: 'viewer', getNarrative: 'viewer', listCampaigns: 'viewer', getCampaign: 'viewer',
  listDatasets: 'viewer', screenName: 'viewer', verifyEvidence: 'viewer',
  reviewClaim: 'analyst', uploadDocument: 'analyst', captureUrl: 'analyst',
  listCases: 'counsel', createCase: 'counsel', getCase: 'counsel', getCaseLetter: 'counsel',
  listTokens: 'admin', createToken: 'admin', revokeToken: 'admin', auditLog: 'admin',
};

let ws: Workspace;
let app: ReturnType<typeof createApp>;
const tokens = {} as Record<Role, string>;
const ids: Record<string, string> = {};
let requests = 0;

beforeAll(async () => {
  ws = await exampleWorkspace(loadConfig({}, { home: join(tempDir('claimtrace-access-'), 'ws') }));
  app = createApp(ws, { webRoot: null });
  for (const role of ROLES) tokens[role] = (await new TokensRepo(ws.db, ws.id).create(`access-${role}`, role)).token;
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  ids['claim'] = claims[0]!.id;
  ids['document'] = (await new DocumentsRepo(ws.db, ws.id).list())[0]!.id;
  ids['case'] = (await createCase(ws, 'Graham Tolliver')).id;
}, 180_000);
afterAll(async () => {
  recordFigure('access', { requests, routes: ROUTES.length, roles: ROLES.length, result: 'every route allowed exactly for its role and above; no token, bad token: 401' });
  await ws?.close();
});

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; text: string }> {
  requests++;
  const headers = new Headers();
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const res = await app.request(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, text: await res.text() };
}

function errorCode(text: string): string | null {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

function concrete(path: string): string {
  if (path.startsWith('/claims/')) return path.replace(':id', ids['claim']!);
  if (path.startsWith('/documents/')) return path.replace(':id', ids['document']!);
  if (path.startsWith('/cases/')) return path.replace(':id', ids['case']!);
  return path.replace(/:(\w+)/g, 'none');
}

const BODIES: Record<string, unknown> = {
  reviewClaim: { action: 'confirm', reason: 'checked by the access test' },
  captureUrl: { url: 'http://169.254.169.254/latest/meta-data/' },
  createCase: { respondent: 'Graham Tolliver' },
  createToken: { name: 'made-by-access-test', role: 'viewer' },
};

describe('API access by role', () => {
  it('every route has a role in the written spec, and the router enforces that role', () => {
    expect(Object.fromEntries(ROUTES.map((r) => [r.spec.operationId, r.spec.role]))).toEqual(SPEC);
  });

  it('no token, a malformed header or an unknown token: 401 on every route', async () => {
    for (const { spec } of ROUTES) {
      for (const t of [null, 'ct_unknown', 'not even a token']) {
        const r = await call(spec.method.toUpperCase(), concrete(spec.path), t);
        expect(r.status, `${spec.operationId} with ${t ?? 'no token'}`).toBe(401);
      }
    }
  });

  it('each role reaches exactly the routes at or below it', async () => {
    for (const { spec } of ROUTES) {
      for (const role of ROLES) {
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(SPEC[spec.operationId]!);
        let path = concrete(spec.path);
        if (spec.operationId === 'revokeToken') path = `/tokens/${(await new TokensRepo(ws.db, ws.id).create('to-revoke', 'viewer')).id}`;
        const r = await call(spec.method.toUpperCase(), path, tokens[role], BODIES[spec.operationId]);
        // An allowed call may still be refused for its content (a blocked URL is 403 blocked_address), never for the role.
        if (allowed) expect(['unauthorized', 'forbidden'], `${spec.operationId} as ${role}: ${r.text}`).not.toContain(errorCode(r.text));
        else {
          expect(r.status, `${spec.operationId} as ${role}`).toBe(403);
          expect(JSON.parse(r.text).error.code).toBe('forbidden');
        }
      }
    }
  });

  it('letters and case files reach counsel and admin only; nothing a viewer or analyst reads carries them', async () => {
    const letter = await call('GET', `/cases/${ids['case']}/letter`, tokens.counsel);
    expect(letter.status, letter.text).toBe(200);
    for (const role of ['viewer', 'analyst'] as const) {
      for (const { spec } of ROUTES.filter((r) => r.spec.method === 'get' && !['counsel', 'admin'].includes(SPEC[r.spec.operationId]!))) {
        const r = await call('GET', concrete(spec.path), tokens[role]);
        expect(r.text, `${spec.operationId} as ${role}`).not.toContain(ids['case']!);
        expect(r.text).not.toMatch(/DRAFT FOR COUNSEL/i);
      }
    }
  });
});

describe('token secrets', () => {
  it('are stored only as hashes: no secret in any table row or anywhere in the database files', async () => {
    const rows = await ws.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(ROLES.length);
    const dump = JSON.stringify(rows) + JSON.stringify(await ws.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of Object.values(tokens)) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice(3));
    }
    for (const f of readdirSync(ws.paths.root).filter((n) => n.startsWith('claimtrace.db'))) {
      const bytes = readFileSync(join(ws.paths.root, f));
      for (const secret of Object.values(tokens)) expect(bytes.includes(Buffer.from(secret)), f).toBe(false);
    }
  });

  it('never appear in CLI or server output except the one-time print', async () => {
    const home = join(tempDir('claimtrace-secrets-'), 'ws');
    expect(cli(['--workspace', home, 'init']).code).toBe(0);
    const created = cli(['--workspace', home, 'token', 'create', '--role', 'admin', '--name', 'ops']);
    expect(created.code, created.stderr).toBe(0);
    const secret = /secret \(shown once\): (\S+)/.exec(created.stdout)?.[1];
    expect(secret).toMatch(/^ct_/);
    expect(created.stdout.split(secret!).length - 1).toBe(1);

    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), '--workspace', home, 'serve', '--port', String(port)], { env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp', TZ: 'UTC' } });
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 100 && !out.includes('press Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 100));
      const base = `http://127.0.0.1:${port}/api/v1`;
      const auth = { authorization: `Bearer ${secret}` };
      expect((await fetch(`${base}/me`, { headers: auth })).status).toBe(200);
      const made = (await (await fetch(`${base}/tokens`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'second', role: 'viewer' }) })).json()) as { token: string };
      expect(made.token).toMatch(/^ct_/);
      await fetch(`${base}/me`, { headers: { authorization: `Bearer ${made.token}` } });
      await fetch(`${base}/me`, { headers: { authorization: `Bearer ${secret}x` } });
      await fetch(`${base}/tokens`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{not json' });
      const audit = await (await fetch(`${base}/audit?limit=500`, { headers: auth })).text();
      requests += 6;
      for (const s of [secret!, made.token]) {
        expect(out, 'server output').not.toContain(s);
        expect(audit, 'audit log').not.toContain(s);
      }
      const listed = cli(['--workspace', home, 'token', 'list', '--json']);
      for (const s of [secret!, made.token]) expect(listed.stdout + listed.stderr).not.toContain(s);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
    }
    for (const s of [secret!]) expect(out).not.toContain(s);
  }, 60_000);
});

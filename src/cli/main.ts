import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { amendDocument, type Amendment } from '../capture/amend.js';
import { ingest, type IngestResult } from '../capture/ingest.js';
import { importRegistryFile } from '../capture/registry-file.js';
import { verifyEvidence, type EvidenceReport } from '../capture/verify-evidence.js';
import { loadConfig } from '../config.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../domain/document.js';
import { ACTOR_KINDS, RELATIONSHIP_TYPES, type ActorKind, type RelationshipType } from '../domain/subject.js';
import { AppError } from '../errors.js';
import { extractClaims } from '../extract/index.js';
import { parseDocumentBytes } from '../capture/parse.js';
import { CampaignsRepo } from '../store/campaigns-repo.js';
import { ClaimsRepo, type StoredClaim } from '../store/claims-repo.js';
import { PREDICATES } from '../domain/claim.js';
import { readFileSync } from 'node:fs';
import { runPipeline, type StageReport } from '../pipeline/run.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import { initWorkspace } from '../store/workspace.js';
import { ensureBundledDatasets } from '../verify/service.js';
import { COMMAND_MODULES } from './commands/index.js';
import { serveWorkspace } from './commands/serve.js';
import { choice, collect, configFor, globalOpts, withWorkspace, type GlobalOpts } from './context.js';
import { printJson, printTable, println, progressBar, reportError, safe } from './output.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE_CASE_DIR = join(PACKAGE_ROOT, 'examples', 'example-case');

function printIngest(results: IngestResult[], json: boolean): void {
  if (json) {
    printJson(results);
    return;
  }
  const stored = results.filter((r) => r.status === 'stored').length;
  const exists = results.filter((r) => r.status === 'exists').length;
  const failed = results.filter((r) => r.status === 'failed');
  println(`ingested ${results.length} item(s): ${stored} stored, ${exists} already present, ${failed.length} failed`);
  for (const f of failed) println(`  failed: ${safe(f.location)}: ${safe(f.error)} [${f.code}]`);
}

function printRun(reports: StageReport[], json: boolean): void {
  if (json) {
    printJson(reports);
    return;
  }
  if (reports.length === 0) {
    println('no pipeline stages to run yet');
    return;
  }
  for (const r of reports) {
    println(`${r.stage}: ${r.processed} processed (${r.ok} ok, ${r.skipped} skipped, ${r.failed} failed)${r.detail ? ` - ${r.detail}` : ''}`);
    for (const f of r.failures) println(`  failed: ${f.documentId}: ${safe(f.error)}`);
  }
}

function printEvidence(report: EvidenceReport, json: boolean): void {
  if (json) {
    printJson(report);
    return;
  }
  const c = report.checked;
  println(`checked ${c.documents} documents, ${c.captures} captures, ${c.warcRecords} WARC records in ${c.warcFiles} files, ${c.logEntries} log entries, ${c.treeHeads} signed tree heads`);
  if (report.rootHash) println(`log root (${report.treeSize} entries): ${report.rootHash}`);
  for (const f of report.fragments) println(`unreferenced trailing fragment (an interrupted write, no capture points to it): ${f.warcFile} bytes ${f.offset}-${f.offset + f.length}: ${safe(f.reason)}`);
  for (const a of report.amendments) println(`amendment: document ${a.documentId} (${a.fields.join(', ')}) by ${safe(a.user)} at ${a.at}: ${safe(a.reason)} [log entry ${a.leafIndex}]`);
  if (report.ok) println('evidence verify: OK, nothing was altered');
  else {
    println(`evidence verify: FAILED, ${report.problems.length} problem(s)`);
    for (const p of report.problems) println(`  [${p.kind}] ${safe(p.message)}`);
  }
}

async function runDemo(opts: GlobalOpts & { keep?: boolean; serve?: boolean; port?: string }): Promise<void> {
  const json = opts.json === true;
  const home = resolve(opts.workspace ?? join(process.cwd(), '.workspace', 'demo'));
  if (!opts.keep && existsSync(join(home, 'workspace.json'))) rmSync(home, { recursive: true, force: true });
  const config = loadConfig(process.env, { home });
  if (config.databaseUrl) throw new AppError('invalid_input', 'the demo runs on the embedded SQLite store: unset DATABASE_URL to run it');
  const { workspace: ws } = await initWorkspace(config, 'claimtrace demo (fictional example case)');
  try {
    await ensureBundledDatasets(ws, { example: true });
    const registry = await importRegistryFile(ws, join(EXAMPLE_CASE_DIR, 'case.json'));
    const bar = progressBar(!json);
    const results = await ingest(ws, [join(EXAMPLE_CASE_DIR, 'posts.jsonl')], {
      manifest: join(EXAMPLE_CASE_DIR, 'manifest.jsonl'),
      onStart: (n) => bar.start('ingest', n),
      onItem: (_r, done) => bar.update(done),
    });
    bar.stop();
    const reports = await runPipeline(ws);
    const docs = await new DocumentsRepo(ws.db, ws.id).list();
    const evidence = await verifyEvidence(ws);
    if (json) {
      printJson({ workspace: ws.paths.root, registry, ingest: results, pipeline: reports, documents: docs, evidence: { ok: evidence.ok, treeSize: evidence.treeSize, rootHash: evidence.rootHash } });
      return;
    }
    println('claimtrace demo: the bundled example case is FICTIONAL (invented companies, people and accounts).');
    println(`workspace: ${ws.paths.root}`);
    println(`registry: ${registry.subjects} subjects, ${registry.actors} actors, ${registry.relationships} relationships`);
    printIngest(results, false);
    printRun(reports, false);
    const formats = new Map<string, number>();
    for (const d of docs) formats.set(d.format, (formats.get(d.format) ?? 0) + 1);
    println(`documents by format: ${[...formats].sort().map(([f, n]) => `${f} ${n}`).join(', ')}`);
    println();
    // The story in a few lines: what was false when said, and who pushed it together.
    const refuted = (await new ClaimsRepo(ws.db, ws.id).list({ verdict: 'REFUTED' })).slice(0, 6);
    println('some REFUTED statements (as of their date):');
    printTable(['published', 'actor', 'claim', 'quote'], refuted.map((c) => [c.published?.slice(0, 10), c.actor, `${c.predicate} ${c.object ?? ''}`.trim(), c.quote]), 60);
    println();
    for (const c of await new CampaignsRepo(ws.db, ws.id).list()) {
      println(`campaign: ${safe(c.label)}`);
      println(`  ${safe(c.explanation)}`);
    }
    println();
    printEvidence(evidence, false);
    println();
    println(`explore: npx claimtrace --workspace ${ws.paths.root} claims | campaigns | case create --respondent "Graham Tolliver"`);
    // The demo ends in the dashboard; --no-serve (tests, CI) stops here.
    if (opts.serve !== false) await serveWorkspace(ws, { port: Number(opts.port ?? 8787), host: '127.0.0.1', demoToken: true });
  } finally {
    await ws.close();
  }
}

/** The `claims --json` element: these names are a contract with evaluation tools. */
export function claimJson(c: StoredClaim): Record<string, unknown> {
  return {
    id: c.id,
    documentId: c.documentId,
    url: c.url ?? c.location,
    published: c.published,
    actor: c.actor,
    subject: c.subject,
    predicate: c.predicate,
    object: c.object,
    polarity: c.polarity,
    modality: c.modality,
    speaker: c.speaker,
    eventDate: c.eventDate,
    quote: c.quote,
    start: c.start,
    end: c.end,
    why: c.why,
    score: c.score,
    verdict: c.verdict ? { label: c.verdict.label, asOf: c.verdict.asOf, asOfBasis: c.verdict.asOfBasis, explanation: c.verdict.explanation, evidence: c.verdict.evidence } : null,
    review: c.review,
    narrativeId: c.narrativeId,
  };
}

function verdictLabel(c: StoredClaim): string {
  if (c.review) return `${c.review.label} (human)`;
  return c.verdict?.label ?? '';
}

/** Builds the command tree. Every action goes through one error boundary in `main`. */
export function buildProgram(): Command {
  const program = new Command('claimtrace')
    .description('Trace what is claimed about an organisation, verify it against official records, expose coordination, build evidence.')
    .option('--workspace <dir>', 'workspace folder (default: $CLAIMTRACE_HOME or ~/.claimtrace)')
    .option('--json', 'machine-readable output (errors as {"error":{code,message}} on stderr)')
    .showHelpAfterError()
    .exitOverride();
  const g = globalOpts;

  program
    .command('init')
    .description('create a workspace folder (database, blobs, WARC files, signing key)')
    .option('--name <name>', 'workspace name')
    .action(async (o: { name?: string }, cmd: Command) => {
      const opts = g(cmd);
      const { workspace: ws, created } = await initWorkspace(configFor(opts), o.name);
      try {
        await ensureBundledDatasets(ws);
        if (opts.json) printJson({ id: ws.id, name: ws.name, path: ws.paths.root, created, database: ws.store.dialect });
        else println(`${created ? 'created' : 'already exists:'} workspace ${ws.name} at ${ws.paths.root} (${ws.store.dialect})`);
      } finally {
        await ws.close();
      }
    });

  const subject = program.command('subject').description('organisations the workspace watches');
  subject
    .command('add <name>')
    .description('register a subject with its aliases, products and subsidiaries')
    .option('--alias <alias>', 'another name (repeatable)', collect, [])
    .option('--product <product>', 'product family or model (repeatable)', collect, [])
    .option('--subsidiary <name>', 'subsidiary name (repeatable)', collect, [])
    .action(async (name: string, o: { alias: string[]; product: string[]; subsidiary: string[] }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const { subject: s, created } = await new RegistryRepo(ws.db, ws.id).upsertSubject({ name, aliases: o.alias, products: o.product, subsidiaries: o.subsidiary });
        if (opts.json) printJson({ ...s, created });
        else println(`${created ? 'added' : 'updated'} subject ${s.name} (${s.id})`);
      });
    });
  subject
    .command('list')
    .description('list subjects')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const list = await new RegistryRepo(ws.db, ws.id).listSubjects();
        if (opts.json) printJson(list);
        else printTable(['id', 'name', 'aliases', 'products', 'subsidiaries'], list.map((s) => [s.id, s.name, s.aliases.join('; '), s.products.join('; '), s.subsidiaries.join('; ')]));
      });
    });

  const actor = program.command('actor').description('people and organisations who speak or publish');
  actor
    .command('add <name>')
    .description('register an actor')
    .addOption(new Option('--kind <kind>', 'kind of actor').choices([...ACTOR_KINDS]).default('organization'))
    .option('--alias <alias>', 'another name (repeatable)', collect, [])
    .option('--description <text>', 'who they are')
    .option('--country <code>', 'country')
    .action(async (name: string, o: { kind: string; alias: string[]; description?: string; country?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const { actor: a, created } = await new RegistryRepo(ws.db, ws.id).upsertActor({
          name,
          kind: choice<ActorKind>(o.kind, ACTOR_KINDS, '--kind'),
          aliases: o.alias,
          description: o.description ?? null,
          country: o.country ?? null,
        });
        if (opts.json) printJson({ ...a, created });
        else println(`${created ? 'added' : 'updated'} actor ${a.name} (${a.id})`);
      });
    });
  actor
    .command('list')
    .description('list actors')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const list = await new RegistryRepo(ws.db, ws.id).listActors();
        if (opts.json) printJson(list);
        else printTable(['id', 'name', 'kind', 'aliases', 'description'], list.map((a) => [a.id, a.name, a.kind, a.aliases.join('; '), a.description]));
      });
    });
  actor
    .command('import-registry <file>')
    .description('load subjects, actors and relationships from a registry JSON file ({subjects, actors, relationships})')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const summary = await importRegistryFile(ws, file);
        if (opts.json) printJson(summary);
        else println(`loaded ${summary.subjects} subjects, ${summary.actors} actors, ${summary.relationships} relationships`);
      });
    });

  const relation = program.command('relation').description('typed links between actors');
  relation
    .command('add')
    .description('link two actors')
    .requiredOption('--from <actor>', 'owner, employer, member, director, funder, predecessor or competitor')
    .requiredOption('--to <actor>', 'asset, employee, organisation, funded party, successor or competitor')
    .requiredOption('--type <type>', `one of ${RELATIONSHIP_TYPES.join(', ')}`)
    .option('--share <percent>', 'ownership share in percent')
    .option('--role <role>', 'role (e.g. senior fellow)')
    .option('--start <date>', 'start date')
    .option('--end <date>', 'end date')
    .action(async (o: { from: string; to: string; type: string; share?: string; role?: string; start?: string; end?: string }, cmd: Command) => {
      const opts = g(cmd);
      const type = choice<RelationshipType>(o.type, RELATIONSHIP_TYPES, '--type');
      const share = o.share === undefined ? null : Number(o.share);
      if (share !== null && (!Number.isFinite(share) || share < 0 || share > 100)) throw new AppError('invalid_input', '--share must be a percentage between 0 and 100');
      await withWorkspace(opts, async (ws) => {
        const repo = new RegistryRepo(ws.db, ws.id);
        const from = await repo.requireActor(o.from);
        const to = await repo.requireActor(o.to);
        const { relationship, created } = await repo.addRelationship({
          fromActorId: from.id,
          toActorId: to.id,
          type,
          share,
          role: o.role ?? null,
          startDate: o.start ?? null,
          endDate: o.end ?? null,
          source: 'cli',
        });
        if (opts.json) printJson({ ...relationship, from: from.name, to: to.name, created });
        else println(`${created ? 'added' : 'exists:'} ${from.name} -[${type}]-> ${to.name}`);
      });
    });
  relation
    .command('list')
    .description('list relationships')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const repo = new RegistryRepo(ws.db, ws.id);
        const names = new Map((await repo.listActors()).map((a) => [a.id, a.name]));
        const list = (await repo.listRelationships()).map((r) => ({ ...r, from: names.get(r.fromActorId) ?? r.fromActorId, to: names.get(r.toActorId) ?? r.toActorId }));
        if (opts.json) printJson(list);
        else printTable(['from', 'type', 'to', 'share', 'role', 'start', 'end'], list.map((r) => [r.from, r.type, r.to, r.share, r.role, r.startDate, r.endDate]));
      });
    });

  program
    .command('ingest [inputs...]')
    .description('capture files (HTML, Markdown, text, PDF, DOCX, PPTX, RSS/Atom), folders, posts files (.jsonl), manifests and URLs, with provenance')
    .option('--manifest <file>', 'JSONL manifest: {path|url, title?, published?, actor?, publisher?, kind?} per line')
    .option('--title <title>', 'title for the ingested document(s)')
    .option('--published <date>', 'publication date (2024-03-15, 2024-03 or 2024)')
    .option('--actor <actor>', 'who speaks in the document(s)')
    .option('--publisher <publisher>', 'publisher')
    .option('--kind <kind>', `one of ${DOCUMENT_KINDS.join(', ')}`)
    .option('--url <url>', 'original URL of a file captured from disk')
    .option('--no-process', 'store only; do not run the pipeline stages')
    .option('--allow-private-network', 'let URL fetches reach private, loopback and link-local addresses')
    .action(async (inputs: string[], o: { manifest?: string; title?: string; published?: string; actor?: string; publisher?: string; kind?: string; url?: string; process: boolean; allowPrivateNetwork?: boolean }, cmd: Command) => {
      const opts = g(cmd);
      if (inputs.length === 0 && !o.manifest) throw new AppError('invalid_input', 'nothing to ingest: name files, folders or URLs, or give --manifest FILE');
      const overrides = {
        ...(o.title !== undefined ? { title: o.title } : {}),
        ...(o.published !== undefined ? { published: o.published } : {}),
        ...(o.actor !== undefined ? { actor: o.actor } : {}),
        ...(o.publisher !== undefined ? { publisher: o.publisher } : {}),
        ...(o.kind !== undefined ? { kind: choice<DocumentKind>(o.kind, DOCUMENT_KINDS, '--kind') } : {}),
        ...(o.url !== undefined ? { url: o.url } : {}),
      };
      await withWorkspace(opts, async (ws) => {
        const bar = progressBar(!opts.json);
        const results = await ingest(ws, inputs, {
          ...(o.manifest ? { manifest: o.manifest } : {}),
          overrides,
          ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
          onStart: (n) => bar.start('ingest', n),
          onItem: (_r, done) => bar.update(done),
        });
        bar.stop();
        const reports = o.process ? await runPipeline(ws) : [];
        if (opts.json) printJson(o.process ? { results, pipeline: reports } : results);
        else {
          printIngest(results, false);
          if (o.process && reports.length > 0) printRun(reports, false);
        }
        if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
      });
    });

  const documents = program
    .command('documents')
    .description('list captured documents')
    .option('--status <status>', 'stored, processed or failed')
    .action(async (o: { status?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const list = await new DocumentsRepo(ws.db, ws.id).list(o.status ? { status: choice(o.status, ['stored', 'processed', 'failed'] as const, '--status') } : {});
        if (opts.json) printJson(list);
        else printTable(['id', 'format', 'status', 'published', 'actor', 'title', 'location'], list.map((d) => [d.id, d.format, d.status, d.published, d.actor, d.title, d.location]), 40);
      });
    });
  documents
    .command('show <id>')
    .description('metadata, captures, stage status and extracted text of one document')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const repo = new DocumentsRepo(ws.db, ws.id);
        const doc = await repo.get(id);
        const captures = await repo.captures(id);
        const stages = await repo.stages(id);
        if (opts.json) {
          printJson({ ...doc, captures, stages });
          return;
        }
        for (const [k, v] of Object.entries({
          id: doc.id, location: doc.location, url: doc.url, title: doc.title, publisher: doc.publisher, actor: doc.actor,
          published: doc.published ? `${doc.published} (${doc.publishedPrecision})` : null, kind: doc.kind, format: doc.format,
          sha256: doc.sha256, size: doc.size, captured: doc.capturedAt, status: doc.status, error: doc.error,
        })) println(`${k.padEnd(10)} ${safe(v === null ? '-' : String(v))}`);
        for (const c of captures) println(`capture    ${c.id} ${c.warcFile} ${c.recordId} ${c.blockDigest} (log entry ${c.leafIndex})`);
        for (const s of stages) println(`stage      ${s.stage}: ${s.status}${s.error ? ` (${safe(s.error)})` : ''}`);
        println();
        println(safe(doc.text ?? '(no text)').replace(/\u0000/g, ''));
      });
    });
  documents
    .command('amend <id>')
    .description('correct metadata in the open: a new evidence-log leaf records what changed, by whom and why')
    .requiredOption('--reason <text>', 'why the metadata is corrected')
    .option('--title <title>')
    .option('--actor <actor>')
    .option('--published <date>')
    .option('--publisher <publisher>')
    .option('--kind <kind>')
    .option('--url <url>')
    .action(async (id: string, o: Amendment & { reason: string }, cmd: Command) => {
      const opts = g(cmd);
      const { reason, ...changes } = o;
      await withWorkspace(opts, async (ws) => {
        const leaf = await amendDocument(ws, id, changes, ws.config.user, reason);
        if (opts.json) printJson(leaf);
        else println(`amended document ${id}: ${Object.keys(leaf.changes).join(', ')}`);
      });
    });

  const evidence = program.command('evidence').description('the tamper-evident evidence log');
  evidence
    .command('verify')
    .description('recompute every digest and tree head; name exactly what was altered')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const report = await verifyEvidence(ws);
        printEvidence(report, opts.json === true);
        if (!report.ok) process.exitCode = 2;
      });
    });


  program
    .command('extract <file>')
    .description('extract claims from one file without storing it (subjects from --subject or the workspace)')
    .option('--subject <name>', 'subject to look for (repeatable; aliases come from the workspace when it has the subject)', collect, [])
    .option('--published <date>', 'publication date, to resolve "on Monday" and to date the claims')
    .option('--actor <name>', 'who speaks in the file')
    .action(async (file: string, o: { subject: string[]; published?: string; actor?: string }, cmd: Command) => {
      const opts = g(cmd);
      const config = configFor(opts);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new AppError('not_found', `no such file: ${file}`);
      }
      const { parsed } = await parseDocumentBytes(bytes, file, null, config.limits);
      let subjects = o.subject.map((name) => ({ name, aliases: [] as string[], products: [] as string[], subsidiaries: [] as string[] }));
      let known: { name: string; aliases: string[] }[] = [];
      if (existsSync(join(config.home, 'workspace.json'))) {
        await withWorkspace(opts, async (ws) => {
          const registry = new RegistryRepo(ws.db, ws.id);
          const all = await registry.listSubjects();
          known = (await registry.listActors()).map((a) => ({ name: a.name, aliases: a.aliases }));
          if (subjects.length === 0) subjects = all;
          else subjects = subjects.map((s) => all.find((x) => x.name.toLowerCase() === s.name.toLowerCase() || x.aliases.some((a) => a.toLowerCase() === s.name.toLowerCase())) ?? s);
        });
      }
      if (subjects.length === 0) throw new AppError('invalid_input', 'no subjects: pass --subject NAME (repeatable) or register subjects in the workspace');
      const published = o.published ?? parsed.published?.value.slice(0, 10) ?? null;
      const claims = extractClaims(parsed.text, { subjects, published, actor: o.actor ?? parsed.author ?? null, knownActors: known });
      if (opts.json) printJson(claims);
      else if (claims.length === 0) println('no claims found');
      else printTable(['subject', 'predicate', 'object', 'polarity', 'modality', 'speaker', 'quote'], claims.map((c) => [c.subject, c.predicate, c.object, c.polarity, c.modality, c.speaker, c.quote]), 60);
    });

  program
    .command('claims')
    .description('list extracted claims with their verdicts')
    .option('--subject <name>', 'only claims about this subject')
    .option('--predicate <p>', `one of ${PREDICATES.join(', ')}`)
    .option('--verdict <label>', 'SUPPORTED, REFUTED, NOT_ENOUGH_INFO, or NONE for claims without one')
    .option('--modality <m>', 'asserted, reported, demanded, hypothetical or questioned')
    .option('--document <id>', 'only claims from this document')
    .option('--search <text>', 'words in the quote or subject')
    .option('--limit <n>', 'at most this many')
    .action(async (o: { subject?: string; predicate?: string; verdict?: string; modality?: string; document?: string; search?: string; limit?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        let subject = o.subject;
        if (subject) subject = (await new RegistryRepo(ws.db, ws.id).findSubject(subject))?.name ?? subject;
        const list = await new ClaimsRepo(ws.db, ws.id).list({
          ...(subject ? { subject } : {}),
          ...(o.predicate ? { predicate: choice(o.predicate, PREDICATES, '--predicate') } : {}),
          ...(o.verdict ? { verdict: o.verdict } : {}),
          ...(o.modality ? { modality: o.modality } : {}),
          ...(o.document ? { documentId: o.document } : {}),
          ...(o.search ? { q: o.search } : {}),
          ...(o.limit ? { limit: Number(o.limit) } : {}),
        });
        if (opts.json) printJson(list.map(claimJson));
        else printTable(['id', 'subject', 'predicate', 'object', 'pol', 'modality', 'verdict', 'quote'], list.map((c) => [c.id, c.subject, c.predicate, c.object, c.polarity === 'denied' ? 'not' : '', c.modality, verdictLabel(c), c.quote]), 56);
      });
    });

  program
    .command('run')
    .description('run every pending pipeline stage over the workspace')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const bar = progressBar(!opts.json);
        const reports = await runPipeline(ws, { onStageStart: (s, n) => bar.start(s, n), onItem: (_s, done) => bar.update(done) });
        bar.stop();
        printRun(reports, opts.json === true);
      });
    });

  program
    .command('demo')
    .description('build a fresh workspace from the bundled (fictional) example case and show what was stored')
    .option('--keep', 'reuse the demo workspace instead of starting fresh')
    .option('--no-serve', 'stop after building the workspace instead of starting the dashboard')
    .option('--port <n>', 'port for the dashboard', '8787')
    .action(async (o: { keep?: boolean; serve?: boolean; port?: string }, cmd: Command) => {
      await runDemo({ ...g(cmd), ...o });
    });

  for (const register of COMMAND_MODULES) register(program);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  // With --json the error goes out once, as JSON; commander's own text would come first otherwise.
  if (json) program.configureOutput({ writeErr: () => undefined });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (json) process.stderr.write(JSON.stringify({ error: { code: 'invalid_input', message: err.message.replace(/^error: /, '') } }) + '\n');
      return 2;
    }
    return reportError(err, json);
  }
}

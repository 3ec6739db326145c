import { join } from 'node:path';
import { ingest } from '../../src/capture/ingest.js';
import { importRegistryFile } from '../../src/capture/registry-file.js';
import type { Config } from '../../src/config.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ROLES, TokensRepo, type Role } from '../../src/store/tokens-repo.js';
import { initWorkspace, type Workspace } from '../../src/store/workspace.js';
import { ensureBundledDatasets } from '../../src/verify/service.js';
import { PROJECT_ROOT } from '../support/shared.js';

export const EXAMPLE_CASE = join(PROJECT_ROOT, 'examples', 'example-case');

/**
 * A workspace built like `claimtrace demo`: the bundled lists with the fictional example dataset,
 * the example case registry and posts, then every pipeline stage (verdicts, narratives, campaigns).
 */
export async function exampleWorkspace(config: Config): Promise<Workspace> {
  const { workspace } = await initWorkspace(config, 'http test');
  await ensureBundledDatasets(workspace, { example: true });
  await importRegistryFile(workspace, join(EXAMPLE_CASE, 'case.json'));
  await ingest(workspace, [join(EXAMPLE_CASE, 'posts.jsonl')], { manifest: join(EXAMPLE_CASE, 'manifest.jsonl') });
  await runPipeline(workspace);
  return workspace;
}

/** One token secret per role. */
export async function roleTokens(ws: Workspace): Promise<Record<Role, string>> {
  const repo = new TokensRepo(ws.db, ws.id);
  const out: Partial<Record<Role, string>> = {};
  for (const role of ROLES) out[role] = (await repo.create(`test-${role}`, role)).token;
  return out as Record<Role, string>;
}

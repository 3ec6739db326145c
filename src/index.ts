/**
 * claimtrace as a library: the same services the CLI and HTTP API use.
 *
 * @example
 * const config = loadConfig(process.env, { home: './ws' });
 * const { workspace } = await initWorkspace(config);
 * await ingest(workspace, ['./articles']);
 * await runPipeline(workspace);
 */
export { loadConfig, type Config, type Limits } from './config.js';
export { AppError, isAppError, type ErrorCode } from './errors.js';
export { initWorkspace, openWorkspace, type Workspace } from './store/workspace.js';
export { ingest, type IngestOptions, type IngestResult } from './capture/ingest.js';
export { importRegistryFile } from './capture/registry-file.js';
export { amendDocument } from './capture/amend.js';
export { verifyEvidence, type EvidenceReport } from './capture/verify-evidence.js';
export { runPipeline, STAGES, type StageReport } from './pipeline/run.js';
export { extractClaims, EXTRACTOR_VERSION, type ExtractOptions } from './extract/index.js';
export { recapture } from './capture/recapture.js';
export { compareNames, explainMatch, NAME_MATCH_THRESHOLD } from './domain/name-match.js';
export { buildScreenIndex, screen, screenDetailed } from './verify/screen.js';
export { judgeClaim, US_LIST_IDS } from './verify/verdict.js';
export { importDataset, ensureBundledDatasets, importActorsFile, CSL_SOURCE_ROUTES } from './verify/service.js';
export { loadVerdictData, judgeWorkspaceClaims } from './verify/verdict-data.js';
export { updateLists } from './verify/update.js';
export { createCase, loadCase, listCases, changeCaseStatus } from './respond/cases.js';
export { renderLetter } from './respond/letters.js';
export { buildPack, verifyPack, verifyPackFile } from './respond/pack.js';
export { claimReviewJsonLd } from './respond/claimreview.js';
export { monitorCases } from './respond/monitor.js';
export { backupWorkspace, restoreWorkspace } from './store/backup.js';
export { ClaimsRepo, type StoredClaim } from './store/claims-repo.js';
export { DocumentsRepo } from './store/documents-repo.js';
export { RegistryRepo } from './store/registry-repo.js';
export type { ExtractedClaim, Predicate, Modality, Polarity, ListId } from './domain/claim.js';
export type { Verdict, VerdictLabel, EvidenceRef } from './domain/verdict.js';
export type { Subject, Actor, Relationship } from './domain/subject.js';
export type { DocumentInfo } from './domain/document.js';

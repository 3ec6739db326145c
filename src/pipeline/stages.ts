import type { Workspace } from '../store/workspace.js';

/** What a stage did with one item: recorded on the item's row, never thrown. */
export type StageOutcome = { status: 'ok'; detail?: string } | { status: 'failed'; error: string } | { status: 'skipped'; detail: string };

/** A stage that runs once per document (claims extraction, for example). */
export interface DocumentStage {
  scope: 'document';
  name: string;
  /** Changes when the stage's rules change, so documents done by an older version run again. */
  version: string;
  run(ws: Workspace, documentId: string): Promise<StageOutcome>;
}

/** A stage that runs over the whole workspace (verdicts, narratives, coordination). */
export interface WorkspaceStage {
  scope: 'workspace';
  name: string;
  run(ws: Workspace): Promise<{ detail: string }>;
}

export type Stage = DocumentStage | WorkspaceStage;

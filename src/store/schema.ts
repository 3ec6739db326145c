/** Row types of every table, as Kysely sees them. They never leave store/. */
export interface WorkspaceRow { id: string; name: string; created_at: string; settings_json: string }
export interface ActorRow {
  id: string; workspace_id: string; name: string; kind: string; aliases_json: string;
  external_id: string | null; country: string | null; description: string | null; created_at: string;
}
export interface SubjectRow { id: string; workspace_id: string; name: string; actor_id: string; created_at: string }
export interface SubjectTermRow { subject_id: string; kind: string; term: string }
export interface RelationshipRow {
  id: string; workspace_id: string; from_actor_id: string; to_actor_id: string; type: string;
  share: number | null; role: string | null; start_date: string | null; end_date: string | null;
  source: string | null; created_at: string;
}
export interface DocumentRow {
  id: string; workspace_id: string; location: string; url: string | null; sha256: string; size: number;
  media_type: string | null; format: string; kind: string; title: string | null; publisher: string | null;
  actor_id: string | null; author: string | null; published: string | null; published_precision: string | null;
  captured_at: string; status: string; error: string | null; error_code: string | null; text: string | null;
  links_json: string; metadata_json: string; parent_id: string | null; created_at: string; updated_at: string;
}
export interface CaptureRow {
  id: string; document_id: string; captured_at: string; sha256: string; warc_file: string; record_id: string;
  record_offset: number; record_length: number; block_digest: string; payload_digest: string | null;
  request_record_id: string | null; conversion_record_id: string | null; conversion_offset: number | null;
  conversion_length: number | null; conversion_digest: string | null; ip_address: string | null;
  http_status: number | null; text_sha256: string | null; leaf_index: number | null;
}
export interface LogEntryRow {
  workspace_id: string; leaf_index: number; kind: string; document_id: string; capture_id: string | null;
  leaf_json: string; leaf_hash: string; created_at: string;
}
export interface TreeHeadRow {
  workspace_id: string; tree_size: number; root_hash: string; signed_at: string; signature: string; key_id: string;
}
export interface DocumentStageRow {
  document_id: string; stage: string; status: string; version: string | null; error: string | null;
  attempts: number; updated_at: string;
}
export interface NarrativeRow {
  id: string; workspace_id: string; subject_id: string | null; predicate: string; object: string | null;
  polarity: string; representative: string; first_seen: string | null; last_seen: string | null; status: string;
  merged_into: string | null; created_at: string;
}
export interface NarrativeEventRow {
  id: string; narrative_id: string; claim_id: string | null; action: string; score: number | null;
  user: string | null; note: string | null; created_at: string;
}
export interface ClaimRow {
  id: string; workspace_id: string; document_id: string; subject_id: string | null; subject_name: string;
  predicate: string; object: string | null; polarity: string; modality: string; speaker: string | null;
  speaker_actor_id: string | null; event_date: string | null; quote: string; start_offset: number;
  end_offset: number; why: string; score: number; extractor_version: string; active: number; narrative_id: string | null;
  created_at: string;
}
export interface DatasetVersionRow {
  id: string; workspace_id: string; source_id: string; source_url: string | null; retrieved_at: string;
  sha256: string; coverage_from: string | null; coverage_to: string | null; complete: number; list_ids_json: string;
  warnings_json: string; fictional: number;
  record_count: number; file_name: string | null; notes: string | null; created_at: string;
}
export interface RecordRow {
  id: string; dataset_version_id: string; list_id: string; record_key: string; name: string; aliases_json: string;
  entity_type: string | null; listed_from: string | null; listed_until: string | null; programs_json: string;
  country: string | null; parent_name: string | null; covers_subsidiaries: number; category: number;
  source_url: string | null; raw_json: string;
}
export interface CveRecordRow {
  id: string; dataset_version_id: string; cve_id: string; vendor: string | null; products_json: string;
  cwes_json: string; published: string | null; description: string | null; source_url: string | null;
}
export interface VerdictRow {
  id: string; claim_id: string; label: string; as_of: string; as_of_basis: string; explanation: string;
  evidence_json: string; data_fingerprint: string; current: number; created_at: string;
}
export interface ReviewRow {
  id: string; claim_id: string; verdict_id: string | null; action: string; label: string; reason: string;
  evidence_document_id: string | null; user: string; current: number; created_at: string;
}
export interface CampaignRow {
  id: string; workspace_id: string; label: string; run_id: string; scores_json: string; explanation: string;
  data_json: string; created_at: string;
}
export interface CampaignMemberRow { campaign_id: string; actor_id: string; role: string | null }
export interface CaseRow {
  id: string; workspace_id: string; respondent_actor_id: string; status: string; data_json: string;
  created_at: string; updated_at: string;
}
export interface AuditLogRow {
  id: string; workspace_id: string; at: string; user: string; action: string; target_type: string | null;
  target_id: string | null; details_json: string;
}
export interface ApiTokenRow {
  id: string; workspace_id: string; name: string; role: string; token_hash: string; created_at: string;
  revoked_at: string | null;
}

export interface Tables {
  workspaces: WorkspaceRow;
  actors: ActorRow;
  subjects: SubjectRow;
  subject_terms: SubjectTermRow;
  relationships: RelationshipRow;
  documents: DocumentRow;
  captures: CaptureRow;
  log_entries: LogEntryRow;
  tree_heads: TreeHeadRow;
  document_stages: DocumentStageRow;
  narratives: NarrativeRow;
  narrative_events: NarrativeEventRow;
  claims: ClaimRow;
  dataset_versions: DatasetVersionRow;
  records: RecordRow;
  cve_records: CveRecordRow;
  verdicts: VerdictRow;
  reviews: ReviewRow;
  campaigns: CampaignRow;
  campaign_members: CampaignMemberRow;
  cases: CaseRow;
  audit_log: AuditLogRow;
  api_tokens: ApiTokenRow;
}

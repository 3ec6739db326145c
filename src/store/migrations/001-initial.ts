import type { Kysely } from 'kysely';

/**
 * The whole schema, dialect-agnostic: text ids, ISO-8601 text timestamps, integer 0/1 booleans
 * and JSON kept as text, so SQLite and PostgreSQL run the same migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('settings_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await s
    .createTable('actors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('aliases_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('external_id', 'text')
    .addColumn('country', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('actors_ws_name', ['workspace_id', 'name'])
    .execute();
  await s.createIndex('actors_external').on('actors').columns(['workspace_id', 'external_id']).execute();

  await s
    .createTable('subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('subjects_ws_name', ['workspace_id', 'name'])
    .execute();
  await s
    .createTable('subject_terms')
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // alias | product | subsidiary
    .addColumn('term', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subject_terms_pk', ['subject_id', 'kind', 'term'])
    .execute();

  await s
    .createTable('relationships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('from_actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('to_actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('share', 'double precision')
    .addColumn('role', 'text')
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('relationships_unique', ['workspace_id', 'from_actor_id', 'to_actor_id', 'type'])
    .execute();

  await s
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('publisher', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('actors.id'))
    .addColumn('author', 'text')
    .addColumn('published', 'text')
    .addColumn('published_precision', 'text')
    .addColumn('captured_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('error_code', 'text')
    .addColumn('text', 'text')
    .addColumn('links_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('metadata_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('parent_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('documents_identity', ['workspace_id', 'location', 'sha256'])
    .execute();
  await s.createIndex('documents_sha').on('documents').columns(['workspace_id', 'sha256']).execute();

  await s
    .createTable('captures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('captured_at', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('warc_file', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('record_offset', 'integer', (c) => c.notNull())
    .addColumn('record_length', 'integer', (c) => c.notNull())
    .addColumn('block_digest', 'text', (c) => c.notNull())
    .addColumn('payload_digest', 'text')
    .addColumn('request_record_id', 'text')
    .addColumn('conversion_record_id', 'text')
    .addColumn('conversion_offset', 'integer')
    .addColumn('conversion_length', 'integer')
    .addColumn('conversion_digest', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('http_status', 'integer')
    .addColumn('text_sha256', 'text')
    .addColumn('leaf_index', 'integer')
    .execute();
  await s.createIndex('captures_document').on('captures').column('document_id').execute();

  await s
    .createTable('log_entries')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('leaf_index', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // capture | amendment
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('capture_id', 'text')
    .addColumn('leaf_json', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_entries_pk', ['workspace_id', 'leaf_index'])
    .execute();
  await s
    .createTable('tree_heads')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('tree_size', 'integer', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tree_heads_pk', ['workspace_id', 'tree_size'])
    .execute();

  await s
    .createTable('document_stages')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | running | ok | failed | skipped
    .addColumn('version', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_stages_pk', ['document_id', 'stage'])
    .execute();
  await s.createIndex('document_stages_status').on('document_stages').columns(['stage', 'status']).execute();

  await s
    .createTable('narratives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
    .addColumn('predicate', 'text', (c) => c.notNull())
    .addColumn('object', 'text')
    .addColumn('polarity', 'text', (c) => c.notNull())
    .addColumn('representative', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('merged_into', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('narrative_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('narrative_id', 'text', (c) => c.notNull().references('narratives.id'))
    .addColumn('claim_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull()) // auto-match | suggest | confirm | reject | merge
    .addColumn('score', 'double precision')
    .addColumn('user', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('predicate', 'text', (c) => c.notNull())
    .addColumn('object', 'text')
    .addColumn('polarity', 'text', (c) => c.notNull())
    .addColumn('modality', 'text', (c) => c.notNull())
    .addColumn('speaker', 'text')
    .addColumn('speaker_actor_id', 'text', (c) => c.references('actors.id'))
    .addColumn('event_date', 'text')
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('start_offset', 'integer', (c) => c.notNull())
    .addColumn('end_offset', 'integer', (c) => c.notNull())
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('extractor_version', 'text', (c) => c.notNull())
    // 0 when a re-run of the extractor no longer finds the claim; kept for its verdict and review history.
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('narrative_id', 'text', (c) => c.references('narratives.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('claims_document').on('claims').column('document_id').execute();
  await s.createIndex('claims_subject').on('claims').columns(['workspace_id', 'subject_id', 'predicate']).execute();

  await s
    .createTable('dataset_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_url', 'text')
    .addColumn('retrieved_at', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('coverage_from', 'text')
    .addColumn('coverage_to', 'text')
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('list_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('warnings_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('fictional', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file_name', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dataset_versions_unique', ['workspace_id', 'source_id', 'sha256'])
    .execute();
  await s
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('entity_type', 'text')
    .addColumn('listed_from', 'text')
    .addColumn('listed_until', 'text')
    .addColumn('programs_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('country', 'text')
    .addColumn('parent_name', 'text')
    .addColumn('covers_subsidiaries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('category', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source_url', 'text')
    .addColumn('raw_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await s.createIndex('records_version').on('records').column('dataset_version_id').execute();
  await s
    .createTable('cve_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text')
    .addColumn('products_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cwes_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('published', 'text')
    .addColumn('description', 'text')
    .addColumn('source_url', 'text')
    .execute();

  await s
    .createTable('verdicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('as_of_basis', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('evidence_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('data_fingerprint', 'text', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('verdicts_claim').on('verdicts').columns(['claim_id', 'current']).execute();

  await s
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    .addColumn('verdict_id', 'text', (c) => c.references('verdicts.id'))
    .addColumn('action', 'text', (c) => c.notNull()) // confirm | override
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evidence_document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('scores_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('campaign_members')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('role', 'text')
    .addPrimaryKeyConstraint('campaign_members_pk', ['campaign_id', 'actor_id'])
    .execute();

  await s
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('respondent_actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('details_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await s.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute();

  await s
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'api_tokens', 'audit_log', 'cases', 'campaign_members', 'campaigns', 'reviews', 'verdicts',
    'cve_records', 'records', 'dataset_versions', 'claims', 'narrative_events', 'narratives',
    'document_stages', 'tree_heads', 'log_entries', 'captures', 'documents', 'relationships',
    'subject_terms', 'subjects', 'actors', 'workspaces',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

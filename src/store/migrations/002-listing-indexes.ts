import type { Kysely } from 'kysely';

/**
 * Indexes for the claim listing (GET /claims pages it in SQL): the current review of a claim was
 * found by building an automatic index on every query, and a page in publication order sorted
 * every claim of the workspace; with these the documents are walked in that order and only each
 * document's few claims are sorted, and the active claims are counted from an index alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('reviews_claim').on('reviews').columns(['claim_id', 'current']).execute();
  await db.schema.createIndex('documents_published').on('documents').columns(['workspace_id', 'published', 'id']).execute();
  await db.schema.createIndex('claims_active').on('claims').columns(['workspace_id', 'active']).execute();
  await db.schema.createIndex('claims_document_order').on('claims').columns(['document_id', 'active', 'start_offset', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('claims_document_order').execute();
  await db.schema.dropIndex('claims_active').execute();
  await db.schema.dropIndex('documents_published').execute();
  await db.schema.dropIndex('reviews_claim').execute();
}

import type { Actor, ActorKind, Relationship, RelationshipType, Subject } from '../domain/subject.js';
import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { ActorRow, RelationshipRow } from './schema.js';

function toActor(r: ActorRow): Actor {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as ActorKind,
    aliases: JSON.parse(r.aliases_json) as string[],
    externalId: r.external_id,
    country: r.country,
    description: r.description,
  };
}

function toRelationship(r: RelationshipRow): Relationship {
  return {
    id: r.id,
    fromActorId: r.from_actor_id,
    toActorId: r.to_actor_id,
    type: r.type as RelationshipType,
    share: r.share,
    role: r.role,
    startDate: r.start_date,
    endDate: r.end_date,
    source: r.source,
  };
}

export interface ActorInput {
  name: string;
  kind: ActorKind;
  aliases?: string[];
  externalId?: string | null;
  country?: string | null;
  description?: string | null;
}

/** Subjects, actors and relationships of one workspace. */
export class RegistryRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async listActors(): Promise<Actor[]> {
    const rows = await this.db.selectFrom('actors').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('name').execute();
    return rows.map(toActor);
  }

  async findActor(nameOrId: string): Promise<Actor | null> {
    const row = await this.db
      .selectFrom('actors')
      .selectAll()
      .where('workspace_id', '=', this.workspaceId)
      .where((eb) => eb.or([eb('id', '=', nameOrId), eb('name', '=', nameOrId), eb('external_id', '=', nameOrId)]))
      .executeTakeFirst();
    if (row) return toActor(row);
    // Fall back to aliases, case-insensitively: people write "the Institute" as registered.
    const lower = nameOrId.toLowerCase();
    const all = await this.listActors();
    return all.find((a) => a.name.toLowerCase() === lower || a.aliases.some((x) => x.toLowerCase() === lower)) ?? null;
  }

  async requireActor(nameOrId: string): Promise<Actor> {
    const a = await this.findActor(nameOrId);
    if (!a) throw new AppError('not_found', `no actor named "${nameOrId}": add it with \`claimtrace actor add\``);
    return a;
  }

  /** Adds an actor, or merges aliases and fills empty fields of an existing one with the same name. */
  async upsertActor(input: ActorInput): Promise<{ actor: Actor; created: boolean }> {
    const existing = await this.db
      .selectFrom('actors')
      .selectAll()
      .where('workspace_id', '=', this.workspaceId)
      .where((eb) =>
        input.externalId ? eb.or([eb('name', '=', input.name), eb('external_id', '=', input.externalId)]) : eb('name', '=', input.name),
      )
      .executeTakeFirst();
    if (existing) {
      const aliases = [...new Set([...(JSON.parse(existing.aliases_json) as string[]), ...(input.aliases ?? [])])];
      await this.db
        .updateTable('actors')
        .set({
          aliases_json: JSON.stringify(aliases),
          external_id: existing.external_id ?? input.externalId ?? null,
          country: existing.country ?? input.country ?? null,
          description: existing.description ?? input.description ?? null,
        })
        .where('id', '=', existing.id)
        .execute();
      const row = await this.db.selectFrom('actors').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow();
      return { actor: toActor(row), created: false };
    }
    const row: ActorRow = {
      id: newId('act'),
      workspace_id: this.workspaceId,
      name: input.name,
      kind: input.kind,
      aliases_json: JSON.stringify(input.aliases ?? []),
      external_id: input.externalId ?? null,
      country: input.country ?? null,
      description: input.description ?? null,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('actors').values(row).execute();
    return { actor: toActor(row), created: true };
  }

  async listSubjects(): Promise<Subject[]> {
    const rows = await this.db.selectFrom('subjects').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('name').execute();
    if (rows.length === 0) return [];
    const terms = await this.db
      .selectFrom('subject_terms')
      .selectAll()
      .where(
        'subject_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => {
      const mine = terms.filter((t) => t.subject_id === r.id);
      const of = (kind: string): string[] => mine.filter((t) => t.kind === kind).map((t) => t.term).sort();
      return { id: r.id, name: r.name, actorId: r.actor_id, aliases: of('alias'), products: of('product'), subsidiaries: of('subsidiary') };
    });
  }

  async findSubject(name: string): Promise<Subject | null> {
    const lower = name.toLowerCase();
    const all = await this.listSubjects();
    return all.find((s) => s.id === name || s.name.toLowerCase() === lower) ?? all.find((s) => s.aliases.some((a) => a.toLowerCase() === lower)) ?? null;
  }

  /** Registers a subject (and the company actor that stands for it), or adds terms to an existing one. */
  async upsertSubject(input: { name: string; aliases?: string[]; products?: string[]; subsidiaries?: string[] }): Promise<{ subject: Subject; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const repo = new RegistryRepo(trx, this.workspaceId);
      let row = await trx.selectFrom('subjects').selectAll().where('workspace_id', '=', this.workspaceId).where('name', '=', input.name).executeTakeFirst();
      let created = false;
      if (!row) {
        const { actor } = await repo.upsertActor({ name: input.name, kind: 'company', aliases: input.aliases ?? [] });
        row = { id: newId('sub'), workspace_id: this.workspaceId, name: input.name, actor_id: actor.id, created_at: new Date().toISOString() };
        await trx.insertInto('subjects').values(row).execute();
        created = true;
      }
      const terms = [
        ...(input.aliases ?? []).map((term) => ({ kind: 'alias', term })),
        ...(input.products ?? []).map((term) => ({ kind: 'product', term })),
        ...(input.subsidiaries ?? []).map((term) => ({ kind: 'subsidiary', term })),
      ].filter((t) => t.term.trim() !== '');
      for (const t of terms) {
        await trx
          .insertInto('subject_terms')
          .values({ subject_id: row.id, kind: t.kind, term: t.term.trim() })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const subject = (await repo.listSubjects()).find((s) => s.id === row.id);
      if (!subject) throw new AppError('internal', 'subject vanished while it was being saved');
      return { subject, created };
    });
  }

  async listRelationships(): Promise<Relationship[]> {
    const rows = await this.db.selectFrom('relationships').selectAll().where('workspace_id', '=', this.workspaceId).execute();
    return rows.map(toRelationship);
  }

  async addRelationship(input: Omit<Relationship, 'id'>): Promise<{ relationship: Relationship; created: boolean }> {
    const existing = await this.db
      .selectFrom('relationships')
      .selectAll()
      .where('workspace_id', '=', this.workspaceId)
      .where('from_actor_id', '=', input.fromActorId)
      .where('to_actor_id', '=', input.toActorId)
      .where('type', '=', input.type)
      .executeTakeFirst();
    if (existing) return { relationship: toRelationship(existing), created: false };
    const row: RelationshipRow = {
      id: newId('rel'),
      workspace_id: this.workspaceId,
      from_actor_id: input.fromActorId,
      to_actor_id: input.toActorId,
      type: input.type,
      share: input.share,
      role: input.role,
      start_date: input.startDate,
      end_date: input.endDate,
      source: input.source,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('relationships').values(row).execute();
    return { relationship: toRelationship(row), created: true };
  }
}

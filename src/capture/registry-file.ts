import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ACTOR_KINDS, RELATIONSHIP_TYPES } from '../domain/subject.js';
import { AppError } from '../errors.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';

const fileSchema = z.object({
  subjects: z
    .array(
      z.object({
        name: z.string().min(1),
        aliases: z.array(z.string()).default([]),
        products: z.array(z.string()).default([]),
        subsidiaries: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  actors: z
    .array(
      z.object({
        name: z.string().min(1),
        kind: z.enum(ACTOR_KINDS),
        aliases: z.array(z.string()).default([]),
        description: z.string().optional(),
        country: z.string().optional(),
      }),
    )
    .default([]),
  relationships: z
    .array(
      z.object({
        from: z.string().min(1),
        to: z.string().min(1),
        type: z.enum(RELATIONSHIP_TYPES),
        share: z.number().optional(),
        role: z.string().optional(),
        start: z.string().optional(),
        end: z.string().optional(),
      }),
    )
    .default([]),
});

export interface RegistryImportSummary {
  subjects: number;
  actors: number;
  relationships: number;
}

/**
 * Loads a registry file (`{subjects, actors, relationships}` as JSON): the watched subjects
 * with their aliases, products and subsidiaries, the actors, and the links between them.
 */
export async function importRegistryFile(ws: Workspace, path: string): Promise<RegistryImportSummary> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AppError('invalid_input', `${path} is not a readable JSON registry file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('invalid_input', `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const data = parsed.data;
  const repo = new RegistryRepo(ws.db, ws.id);
  for (const s of data.subjects) await repo.upsertSubject(s);
  for (const a of data.actors) {
    await repo.upsertActor({ name: a.name, kind: a.kind, aliases: a.aliases, description: a.description ?? null, country: a.country ?? null });
  }
  for (const r of data.relationships) {
    const from = await repo.requireActor(r.from);
    const to = await repo.requireActor(r.to);
    await repo.addRelationship({
      fromActorId: from.id,
      toActorId: to.id,
      type: r.type,
      share: r.share ?? null,
      role: r.role ?? null,
      startDate: r.start ?? null,
      endDate: r.end ?? null,
      source: path,
    });
  }
  return { subjects: data.subjects.length, actors: data.actors.length, relationships: data.relationships.length };
}

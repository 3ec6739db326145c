import type { Actor, Relationship } from '../domain/subject.js';

/** One step of an affiliation path, oriented from the speaking actor toward the competitor. */
export interface PathStep {
  relationship: Relationship;
  /** Actor at the near end of the step and at the far end. */
  from: string;
  to: string;
}

/** An actor tied to a competitor of the subject within the hop limit. */
export interface UndisclosedInterest {
  actorId: string;
  competitorId: string;
  steps: PathStep[];
  /** "C is a fellow of D, which is funded by competitor E". */
  description: string;
}

/** The verdict on one document. */
export interface DisclosureFinding extends UndisclosedInterest {
  documentId: string;
  disclosed: boolean;
  /** The sentence that discloses the tie, when one does. */
  evidence: string | null;
}

// Words that, next to the name of the tied party, make a mention a disclosure rather than a
// passing reference ("Telit's modules" is not a disclosure; "a fellow of the Institute" is).
const CUES =
  /\b(fellow|fund(s|ed|ing|er)?|employ(s|ed|ee|er)?|works? (for|at)|member|director|board|own(s|ed|er)?|advis(e|er|or|ory)|consult(s|ant|ing)?|sponsor(s|ed)?|disclos(e|ure|ed)|affiliat(e|ed|ion)|paid|client|grant|conflicts? of interest|on behalf of|expert for)\b/i;

function nameOf(actors: ReadonlyMap<string, Actor>, id: string): string {
  return actors.get(id)?.name ?? id;
}

function phrase(step: PathStep, actors: ReadonlyMap<string, Actor>, last: boolean, competitorId: string): string {
  const r = step.relationship;
  const forward = r.fromActorId === step.from;
  const other = `${last && step.to === competitorId ? 'competitor ' : ''}${nameOf(actors, step.to)}`;
  const role = r.role !== null && r.role !== '' ? r.role : null;
  switch (r.type) {
    case 'ownership':
      return forward ? `owns ${other}` : `is owned by ${other}`;
    case 'employment':
      if (forward) return `employs ${other}`;
      return role !== null ? `is ${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role} of ${other}` : `is employed by ${other}`;
    case 'membership':
      return forward ? `is a member of ${other}` : `has ${other} as a member`;
    case 'directorship':
      return forward ? `is a director of ${other}` : `has ${other} as a director`;
    case 'funding':
      return forward ? `funds ${other}` : `is funded by ${other}`;
    case 'succession':
      return forward ? `sold its business to ${other}` : `bought the business of ${other}`;
    case 'competitor':
      return `competes with ${other}`;
  }
}

function describe(actorId: string, steps: PathStep[], actors: ReadonlyMap<string, Actor>, competitorId: string): string {
  const parts = steps.map((s, i) => phrase(s, actors, i === steps.length - 1, competitorId));
  let text = `${nameOf(actors, actorId)} ${parts[0] ?? ''}`;
  for (let i = 1; i < parts.length; i++) text += `, which ${parts[i]}`;
  return text;
}

/**
 * Actors with an affiliation path of at most `maxHops` relationships (ownership, employment,
 * membership, directorship, funding, succession; competitor links are not affiliations) to one
 * of the competitors. Shortest path per actor and competitor, ties broken by relationship id.
 */
export function findUndisclosedInterests(
  relationships: readonly Relationship[],
  competitorIds: readonly string[],
  actors: ReadonlyMap<string, Actor> = new Map(),
  maxHops = 2,
): UndisclosedInterest[] {
  const adj = new Map<string, Relationship[]>();
  const sorted = relationships.filter((r) => r.type !== 'competitor').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of sorted) {
    for (const end of [r.fromActorId, r.toActorId]) {
      const list = adj.get(end) ?? [];
      list.push(r);
      adj.set(end, list);
    }
  }
  const competitors = new Set(competitorIds);
  const out: UndisclosedInterest[] = [];
  for (const comp of [...competitors].sort()) {
    // BFS outward from the competitor; paths are then read back from each actor toward it.
    const prev = new Map<string, { via: Relationship; toward: string } | null>([[comp, null]]);
    let frontier = [comp];
    for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const v of frontier) {
        for (const r of adj.get(v) ?? []) {
          const w = r.fromActorId === v ? r.toActorId : r.fromActorId;
          if (prev.has(w)) continue;
          prev.set(w, { via: r, toward: v });
          next.push(w);
        }
      }
      frontier = next;
    }
    for (const [actorId, link] of prev) {
      if (link === null || competitors.has(actorId)) continue;
      const steps: PathStep[] = [];
      let cur = actorId;
      let l: { via: Relationship; toward: string } | null | undefined = link;
      while (l !== null && l !== undefined) {
        steps.push({ relationship: l.via, from: cur, to: l.toward });
        cur = l.toward;
        l = prev.get(cur);
      }
      out.push({ actorId, competitorId: comp, steps, description: describe(actorId, steps, actors, comp) });
    }
  }
  out.sort((a, b) => (a.actorId < b.actorId ? -1 : a.actorId > b.actorId ? 1 : a.competitorId < b.competitorId ? -1 : 1));
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a text discloses an interest: some sentence names a party on the path (the
 * intermediate organisation or the competitor, by name or alias) together with a word that
 * states a tie (fellow, funded, employed, member, adviser, disclosure, ...).
 */
export function checkDisclosure(
  text: string,
  interest: UndisclosedInterest,
  actors: ReadonlyMap<string, Actor> = new Map(),
): { disclosed: boolean; evidence: string | null } {
  const parties = interest.steps.map((s) => s.to);
  const names = parties.flatMap((id) => {
    const a = actors.get(id);
    return a === undefined ? [id] : [a.name, ...a.aliases];
  });
  const patterns = names.filter((n) => n.trim().length >= 2).map((n) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(n)}($|[^\\p{L}\\p{N}])`, 'iu'));
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  for (const s of sentences) {
    if (!CUES.test(s)) continue;
    if (patterns.some((p) => p.test(s))) return { disclosed: true, evidence: s.trim() };
  }
  return { disclosed: false, evidence: null };
}

/**
 * For each document whose actor has an affiliation path (within 2 hops) to a competitor of
 * the subject, say whether the document discloses it.
 */
export function flagUndisclosedInterests(
  documents: readonly { id: string; actorId: string; text: string }[],
  relationships: readonly Relationship[],
  competitorIds: readonly string[],
  actors: ReadonlyMap<string, Actor> = new Map(),
): DisclosureFinding[] {
  const interests = findUndisclosedInterests(relationships, competitorIds, actors);
  const byActor = new Map<string, UndisclosedInterest[]>();
  for (const i of interests) byActor.set(i.actorId, [...(byActor.get(i.actorId) ?? []), i]);
  const out: DisclosureFinding[] = [];
  for (const d of documents) {
    for (const i of byActor.get(d.actorId) ?? []) {
      const { disclosed, evidence } = checkDisclosure(d.text, i, actors);
      out.push({ ...i, documentId: d.id, disclosed, evidence });
    }
  }
  return out;
}

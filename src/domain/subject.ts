/** An organisation the workspace watches. */
export interface Subject {
  id: string;
  name: string;
  aliases: string[];
  /** Product names and families (module series, model numbers). */
  products: string[];
  /** Names of subsidiaries, which text may use to mean the subject. */
  subsidiaries: string[];
  /** The actor that stands for this subject in the relationship graph. */
  actorId: string;
}

export const ACTOR_KINDS = [
  'person',
  'organization',
  'company',
  'outlet',
  'think-tank',
  'government',
  'account',
  'advocacy-group',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Anyone who speaks or publishes. */
export interface Actor {
  id: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  /** Identifier in an imported dataset (e.g. a FollowTheMoney id), if any. */
  externalId: string | null;
  country: string | null;
  description: string | null;
}

export const RELATIONSHIP_TYPES = [
  'ownership',
  'employment',
  'membership',
  'directorship',
  'funding',
  'succession',
  'competitor',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** A typed link between two actors, read "from ... to" (owner owns asset, employer employs person). */
export interface Relationship {
  id: string;
  fromActorId: string;
  toActorId: string;
  type: RelationshipType;
  /** Ownership share in percent, when known. */
  share: number | null;
  role: string | null;
  startDate: string | null;
  endDate: string | null;
  source: string | null;
}

import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { ApiTokenRow } from './schema.js';

/** Roles in increasing order of power: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'analyst', 'counsel', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A stored token, without its secret. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

/** True when `role` is at least `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** How many verified tokens one repository remembers; a workspace has a handful. */
const MAX_VERIFIED = 1024;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toToken(r: ApiTokenRow): ApiToken {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/**
 * API tokens. Only a SHA-256 hash of each secret is stored: the secret is shown once, when the
 * token is created, and a stolen database does not hand out working tokens.
 */
export class TokensRepo {
  /** Tokens verified under `verifiedStamp`, by secret hash (never by secret). */
  private readonly verified = new Map<string, ApiToken>();
  private verifiedStamp: string | null = null;

  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  /** Creates a token and returns its secret; the secret cannot be read back later. */
  async create(name: string, role: Role): Promise<ApiToken & { token: string }> {
    if (!(ROLES as readonly string[]).includes(role)) throw new AppError('invalid_input', `role must be one of ${ROLES.join(', ')} (got "${role}")`);
    // 32 random bytes; the prefix lets secret scanners recognise a leaked token.
    const token = `ct_${randomBytes(32).toString('base64url')}`;
    const row: ApiTokenRow = {
      id: newId('tok'),
      workspace_id: this.workspaceId,
      name,
      role,
      token_hash: hashToken(token),
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { ...toToken(row), token };
  }

  async list(): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toToken);
  }

  /** Number of tokens that still work. */
  async activeCount(): Promise<number> {
    const r = await this.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', this.workspaceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * The token a secret belongs to, or null when it is unknown or revoked. With a `stamp` from
   * changeStamp (read before this call), the answer is remembered by secret hash for as long as
   * the stamp stays the same: any write to the database, here or in another process (a revocation
   * included), changes the stamp and empties the memory, so a revoked token fails on the next request.
   */
  async authenticate(secret: string, stamp: string | null = null): Promise<ApiToken | null> {
    const hash = hashToken(secret);
    if (stamp !== null && stamp === this.verifiedStamp) {
      const known = this.verified.get(hash);
      if (known !== undefined) return { ...known };
    }
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('workspace_id', '=', this.workspaceId)
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const token = row ? toToken(row) : null;
    if (stamp !== null) {
      if (stamp !== this.verifiedStamp) {
        this.verified.clear();
        this.verifiedStamp = stamp;
      }
      // Unknown secrets are not remembered: guessing must not fill the memory.
      if (token && this.verified.size < MAX_VERIFIED) this.verified.set(hash, token);
    }
    return token;
  }

  async revoke(id: string): Promise<void> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', this.workspaceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new AppError('not_found', `no active token with id ${id}: list them with \`claimtrace token list\``);
  }
}

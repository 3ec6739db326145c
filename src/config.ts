import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

const MB = 1024 * 1024;

const schema = z.object({
  /** Workspace folder: CLAIMTRACE_HOME, else ~/.claimtrace. A --workspace flag overrides it. */
  home: z.string().min(1),
  /** PostgreSQL for the workspace's store; absent means the embedded SQLite file. */
  databaseUrl: z.string().url().optional(),
  limits: z.object({
    maxFileBytes: z.number().int().positive(),
    maxInflatedBytes: z.number().int().positive(),
    workerHeapMb: z.number().int().positive(),
    workerTimeoutMs: z.number().int().positive(),
    maxRedirects: z.number().int().min(0),
    fetchTimeoutMs: z.number().int().positive(),
  }),
  allowPrivateNetwork: z.boolean(),
  /** Narrative matching: similarity at or above `autoMatch` joins a narrative, above `suggest` proposes it to an analyst. */
  narratives: z
    .object({
      autoMatch: z.number().min(0).max(1),
      suggest: z.number().min(0).max(1),
      minWords: z.number().int().min(1),
      maxAgeDays: z.number().int().positive(),
    })
    .refine((n) => n.suggest <= n.autoMatch, { message: 'the suggest threshold must not exceed the auto-match threshold' }),
  /**
   * Test-only: exact non-public addresses URL fetches may reach while every other private address
   * stays refused (CLAIMTRACE_TEST_ALLOW_ADDRESSES, comma-separated). Lets tests serve a page on
   * 127.0.0.1 and still check that a redirect to another private address is refused.
   */
  testAllowAddresses: z.array(z.string().refine((a) => isIP(a) !== 0, { message: 'must be an IP address' })),
  user: z.string().min(1),
});

export type Config = Readonly<z.infer<typeof schema>>;
export type Limits = Config['limits'];

/** A number from the environment (integer or not), or the raw text so validation can name it. */
function intFrom(env: NodeJS.ProcessEnv, key: string, fallback: number): number | string {
  const v = env[key];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/**
 * Reads and validates configuration once, listing every problem at once; the result is frozen.
 * Nothing else in the code reads process.env.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { home?: string } = {}): Config {
  const raw = {
    home: resolve(overrides.home ?? env['CLAIMTRACE_HOME'] ?? join(homedir(), '.claimtrace')),
    databaseUrl: env['DATABASE_URL'] || undefined,
    limits: {
      maxFileBytes: intFrom(env, 'CLAIMTRACE_MAX_FILE_BYTES', 50 * MB),
      maxInflatedBytes: intFrom(env, 'CLAIMTRACE_MAX_INFLATED_BYTES', 50 * MB),
      workerHeapMb: intFrom(env, 'CLAIMTRACE_WORKER_HEAP_MB', 512),
      workerTimeoutMs: intFrom(env, 'CLAIMTRACE_WORKER_TIMEOUT_MS', 30_000),
      maxRedirects: intFrom(env, 'CLAIMTRACE_MAX_REDIRECTS', 10),
      fetchTimeoutMs: intFrom(env, 'CLAIMTRACE_FETCH_TIMEOUT_MS', 30_000),
    },
    allowPrivateNetwork: env['CLAIMTRACE_ALLOW_PRIVATE_NETWORK'] === '1',
    narratives: {
      autoMatch: intFrom(env, 'CLAIMTRACE_NARRATIVE_AUTO_MATCH', 0.8),
      suggest: intFrom(env, 'CLAIMTRACE_NARRATIVE_SUGGEST', 0.5),
      minWords: intFrom(env, 'CLAIMTRACE_NARRATIVE_MIN_WORDS', 6),
      maxAgeDays: intFrom(env, 'CLAIMTRACE_NARRATIVE_MAX_AGE_DAYS', 365),
    },
    testAllowAddresses: (env['CLAIMTRACE_TEST_ALLOW_ADDRESSES'] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    user: env['CLAIMTRACE_USER'] || env['USER'] || 'local',
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('invalid_config', `invalid configuration: ${problems}`);
  }
  return Object.freeze({ ...parsed.data, limits: Object.freeze(parsed.data.limits), testAllowAddresses: Object.freeze(parsed.data.testAllowAddresses) }) as Config;
}

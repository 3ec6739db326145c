/** Stable error codes; adapters map them to exit codes and HTTP statuses. */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_config'
  | 'not_found'
  | 'conflict'
  | 'unsupported_format'
  | 'too_large'
  | 'zip_bomb'
  | 'parse_failed'
  | 'parse_timeout'
  | 'blocked_address'
  | 'fetch_failed'
  | 'workspace_missing'
  | 'integrity_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_config: 400,
  not_found: 404,
  conflict: 409,
  unsupported_format: 415,
  too_large: 413,
  zip_bomb: 413,
  parse_failed: 422,
  parse_timeout: 422,
  blocked_address: 403,
  fetch_failed: 502,
  workspace_missing: 404,
  integrity_failed: 409,
  unauthorized: 401,
  forbidden: 403,
  internal: 500,
};

/** The one error type the application throws on purpose; anything else is a bug. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Message of any thrown value, for recording a per-item failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

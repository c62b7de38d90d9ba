/** The parts of a PostgreSQL error report that callers act on, the same for pg and PGlite. */
export interface DatabaseErrorInfo {
  /** SQLSTATE, e.g. 23505 unique_violation, 23514 check_violation, 23503 foreign_key_violation. */
  code: string;
  constraint: string | undefined;
  detail: string | undefined;
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  notNullViolation: '23502',
  serializationFailure: '40001',
} as const;

const SQLSTATE_PATTERN = /^[0-9A-Z]{5}$/;

/**
 * Finds the server's error report in what a query threw. Drizzle wraps driver errors in a
 * DrizzleQueryError whose `cause` is the pg or PGlite error, so the chain is followed.
 */
export function databaseErrorOf(error: unknown): DatabaseErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const fields = current as Error & { code?: unknown; constraint?: unknown; detail?: unknown };
    if (typeof fields.code === 'string' && SQLSTATE_PATTERN.test(fields.code)) {
      return {
        code: fields.code,
        constraint: typeof fields.constraint === 'string' ? fields.constraint : undefined,
        detail: typeof fields.detail === 'string' ? fields.detail : undefined,
      };
    }
    current = current.cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = databaseErrorOf(error);
  return (
    info?.code === SQLSTATE.uniqueViolation && (constraint === undefined || info.constraint === constraint)
  );
}

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
  for (const current of causeChain(error, 5)) {
    const fields = current as Error & { code?: unknown; constraint?: unknown; detail?: unknown };
    if (typeof fields.code === 'string' && SQLSTATE_PATTERN.test(fields.code)) {
      return {
        code: fields.code,
        constraint: typeof fields.constraint === 'string' ? fields.constraint : undefined,
        detail: typeof fields.detail === 'string' ? fields.detail : undefined,
      };
    }
  }
  return undefined;
}

/** An error and the errors it wraps (`cause`), outermost first, at most `depth` of them. */
function* causeChain(error: unknown, depth: number): Generator<Error> {
  let current: unknown = error;
  for (let seen = 0; seen < depth && current instanceof Error; seen++) {
    yield current;
    current = current.cause;
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = databaseErrorOf(error);
  return (
    info?.code === SQLSTATE.uniqueViolation && (constraint === undefined || info.constraint === constraint)
  );
}

/** Socket errors that mean the database server cannot be reached, not that a statement was wrong. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not taking work: class 08 (connection exception),
 * 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** What node-postgres throws, with no code, when its connection dies under it or cannot be had. */
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection terminated unexpectedly',
];

/**
 * True when what a query threw says the database is out of reach (stopped, restarting, failing over,
 * full), so the request can be answered 503 with a Retry-After instead of 500: worth sending again in
 * a moment. (A connection lost during COMMIT may still have committed; the routes that create take an
 * Idempotency-Key so that the retry is safe.)
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const current of causeChain(error, 6)) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (UNREACHABLE_MESSAGES.some((m) => current.message.includes(m))) return true;
    // An AggregateError (a connect tried on IPv4 and IPv6) carries its reasons in `errors`.
    const nested = (current as Error & { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.some((e) => isDatabaseUnavailable(e))) return true;
  }
  return false;
}

import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './errors.js';

/** An error with a code, as node-postgres and Node's sockets make them. */
const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('knows a database out of reach, however deep the driver wrapped it', () => {
    const wrapped = (cause: unknown) => new Error('Failed query: insert into "claims" …', { cause });
    expect(isDatabaseUnavailable(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(new Error('timeout exceeded when trying to connect')))).toBe(true);
    expect(
      isDatabaseUnavailable(wrapped(coded('terminating connection due to administrator command', '57P01'))),
    ).toBe(true);
    expect(isDatabaseUnavailable(wrapped(coded('the database system is starting up', '57P03')))).toBe(true);
    expect(isDatabaseUnavailable(coded('sorry, too many clients already', '53300'))).toBe(true);
    expect(isDatabaseUnavailable(coded('connection failure', '08006'))).toBe(true);
    // A connect tried on IPv4 and IPv6 fails with both reasons in an AggregateError.
    expect(isDatabaseUnavailable(new AggregateError([coded('refused', 'ECONNREFUSED')], 'connect'))).toBe(
      true,
    );
  });

  it('leaves the statement’s own errors, and everything else, as they are', () => {
    expect(isDatabaseUnavailable(coded('duplicate key value', '23505'))).toBe(false);
    expect(isDatabaseUnavailable(coded('could not serialize access', '40001'))).toBe(false);
    expect(isDatabaseUnavailable(coded('syntax error', '42601'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

import { type DatabaseHandle, driverOf } from '../../src/db/client.js';

/**
 * The SQL statements `action` sends, counted at the driver (PGlite's client, or the pg pool that
 * drizzle queries through outside transactions). A deterministic stand-in for "takes as long as":
 * two answers that must not be told apart by their timing must cost the same statements.
 */
export async function statementsSentBy(
  handle: DatabaseHandle,
  action: () => Promise<unknown>,
): Promise<string[]> {
  const driver = driverOf(handle);
  const target = (driver.kind === 'pglite' ? driver.client : driver.pool) as unknown as {
    query: (...args: unknown[]) => Promise<unknown>;
  };
  const original = target.query;
  const sent: string[] = [];
  target.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
    return original.apply(this, args);
  };
  try {
    await action();
  } finally {
    target.query = original;
  }
  return sent;
}

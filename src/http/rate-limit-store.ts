import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../app/errors.js';
import { countHit, readCount } from '../app/limits/counters.js';
import type { DatabaseHandle } from '../db/client.js';
import type { Temporal } from '../domain/calendar.js';

/** What @fastify/rate-limit hands a store: the limit's route, and its group when routes share one. */
type RouteLimitOptions = {
  groupId?: string;
  routeInfo?: { method?: string | readonly string[]; url?: string };
};

type StoreCallback = (error: Error | null, state?: { current: number; ttl: number }) => void;

/** Why a request is refused when its limit cannot be counted (only where the route fails closed). */
export const rateLimitUnavailable = () =>
  new AppError(
    'unavailable',
    'RATE_LIMIT_UNAVAILABLE',
    'This request cannot be checked against its limit right now; try again shortly.',
  );

/** The limit a route's hits count against: its group's, or the route's own (method and path). */
export function limitScopeOf(options: RouteLimitOptions): string {
  if (options.groupId) return `group:${options.groupId}`;
  const method = options.routeInfo?.method;
  const methods = typeof method === 'string' ? method : (method ?? []).join(',');
  return `${methods} ${options.routeInfo?.url ?? '*'}`;
}

/**
 * A store for @fastify/rate-limit on the database's limit counters (`rate_limit_counters`), so that
 * every app process on one database counts a client's requests against the same total. The windows are
 * fixed and aligned to the epoch (see counters.ts) and read on the app's clock, not the machine's: a
 * test with a fixed clock sees a fixed window.
 *
 * When the database cannot count, `incr` fails with RATE_LIMIT_UNAVAILABLE (503): a route that must not
 * run unlimited — sign-in above all — fails closed. A route that sets `skipOnError: true` fails open
 * instead (the plugin then lets the request through).
 */
export function databaseRateLimitStore(deps: {
  db: DatabaseHandle;
  clock: () => Temporal.Instant;
  log: FastifyBaseLogger;
}) {
  const failed = (scope: string, cb: StoreCallback) => (error: unknown) => {
    deps.log.error({ err: error, limit: scope }, 'rate limit: the counter could not be read or written');
    cb(rateLimitUnavailable());
  };
  return class DatabaseRateLimitStore {
    private readonly scope: string;

    /** The plugin makes the first with its global settings, and one child per limited route. */
    constructor(_globalSettings?: unknown, scope = 'global') {
      this.scope = scope;
    }

    /**
     * At run time the plugin hands the route's merged limit settings, with the route under `routeInfo`
     * (its type declarations say otherwise), so it is read as the plain object it is.
     */
    child(routeOptions: unknown): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore(undefined, limitScopeOf(routeOptions as RouteLimitOptions));
    }

    private keyOf(clientKey: string): string {
      return `http:${this.scope}|${clientKey}`;
    }

    incr(clientKey: string, cb: StoreCallback, timeWindow: number): void {
      countHit(deps.db.db, {
        key: this.keyOf(clientKey),
        windowMs: timeWindow,
        nowMs: deps.clock().epochMilliseconds,
      }).then(
        (state) => {
          cb(null, { current: state.count, ttl: state.resetInMs });
        },
        failed(this.scope, cb),
      );
    }

    read(clientKey: string, cb: StoreCallback, timeWindow: number): void {
      readCount(deps.db.db, {
        key: this.keyOf(clientKey),
        windowMs: timeWindow,
        nowMs: deps.clock().epochMilliseconds,
      }).then(
        (state) => {
          cb(null, { current: state.count, ttl: state.resetInMs });
        },
        failed(this.scope, cb),
      );
    }
  };
}

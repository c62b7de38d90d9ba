import type { Database } from '../../db/client.js';
import { loadPolicyVersions } from '../../db/policies.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';

/** Where use cases get the policy versions from. */
export interface PolicySource {
  versions(): Promise<readonly PolicyVersion[]>;
  /** Forget what was read: the next call reads the database again (after this process adds a version). */
  invalidate(): void;
}

/**
 * Policy versions are immutable once written and added rarely, yet every decision needs them, parsed
 * and validated. Each process keeps them for `maxAgeMs`, so another process's new version is seen
 * within that time; concurrent callers share one read.
 */
export function cachedPolicySource(
  db: Database,
  options: { maxAgeMs: number; monotonicNow?: () => number },
): PolicySource {
  const now = options.monotonicNow ?? (() => performance.now());
  let cached: { at: number; read: Promise<readonly PolicyVersion[]> } | undefined;
  return {
    versions() {
      if (cached && now() - cached.at < options.maxAgeMs) return cached.read;
      const entry = { at: now(), read: loadPolicyVersions(db) };
      cached = entry;
      // A failed read is not kept: the next caller tries again.
      entry.read.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.read;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

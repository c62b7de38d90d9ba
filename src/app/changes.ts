import { isDeepStrictEqual } from 'node:util';

/**
 * What a partial update really changes: the fields sent whose value differs from the row's. `set` goes
 * to the UPDATE; `before` and `after` go to the audit event, so the log says what an edit replaced.
 */
export function changesOf<T extends object>(
  current: T,
  patch: { [K in keyof T]?: T[K] | undefined },
): { set: Partial<T>; before: Partial<T>; after: Partial<T>; changed: boolean } {
  const set: Partial<T> = {};
  const before: Partial<T> = {};
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value === undefined || isDeepStrictEqual(value, current[key])) continue;
    set[key] = value;
    before[key] = current[key];
  }
  return { set, before, after: set, changed: Object.keys(set).length > 0 };
}

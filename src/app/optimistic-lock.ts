import { AppError } from './errors.js';

/*
 * Staff edits race: each says which version of the row it read, and the update only applies when the
 * row is still at that version (`update … where version = expected`). The loser is told the version
 * it should reload, rather than silently overwriting what the winner decided.
 */

export function versionConflict(what: string, currentVersion: number): AppError {
  return new AppError(
    'conflict',
    'VERSION_CONFLICT',
    `this ${what} was changed by someone else meanwhile (it is now at version ${currentVersion}); reload it and try again`,
    { currentVersion },
  );
}

/** Refuses a stale read before anything is written. */
export function assertVersion(what: string, row: { version: number }, expectedVersion: number): void {
  if (row.version !== expectedVersion) throw versionConflict(what, row.version);
}

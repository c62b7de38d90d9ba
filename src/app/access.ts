import { type Action, type Actor, authorize, type Owners } from '../domain/access/access.js';
import { AppError } from './errors.js';

/**
 * The object-level check every use case makes after loading an object, even behind a route that
 * already checked the role: a route guard alone would let a dealer read another dealer's sale by id.
 * An object outside the actor's scope is reported as missing, never as forbidden.
 */
export function assertAllowed(
  actor: Actor,
  action: Action,
  owners: Owners,
  notFound: { code: string; message: string },
): void {
  const decision = authorize(actor, action, owners);
  if (decision === 'forbidden') throw forbidden();
  if (decision === 'not_found') throw new AppError('not_found', notFound.code, notFound.message);
}

export function forbidden(): AppError {
  return new AppError('forbidden', 'FORBIDDEN', 'your role may not do this');
}

export function unauthenticated(): AppError {
  return new AppError('unauthenticated', 'UNAUTHENTICATED', 'sign in first');
}

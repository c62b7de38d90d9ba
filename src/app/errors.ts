/**
 * A refusal the business can explain. The app layer says what kind of refusal it is; the HTTP layer
 * alone turns the kind into a status code.
 */
export type AppErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  /** Well-formed, but contradicts what is on record (e.g. a purchase dated before its unit was made). */
  | 'unprocessable'
  | 'too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    /** SCREAMING_SNAKE, stable: clients branch on it. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

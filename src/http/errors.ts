import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type AppErrorKind } from '../app/errors.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { errorBody } from './error-response.js';

export { errorBody, errorResponseSchema, type ErrorResponse } from './error-response.js';

/** What a 503 for an unreachable database asks clients to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const statusForKind: Record<AppErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
};

const codeForStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

/** Fastify's own error codes, renamed for API clients who never heard of Fastify. */
const codeForFastifyError: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_CONTENT_LENGTH',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_TYPE: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/**
 * Errors Fastify meets while routing, before any route (and so the error handler) is chosen: a path
 * whose percent escapes do not decode (`/api/v1/claims/%`), or a path parameter beyond its length limit.
 * Without this they are answered in Fastify's own shape instead of the API's error object.
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply
      .code(400)
      .send(errorBody('BAD_URL', 'The URL is not valid: a "%" must begin an escape such as %20.'));
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send(errorBody('URI_TOO_LONG', 'A part of the URL is too long.'));
  } else {
    request.log.error({ err }, 'routing error');
    void reply
      .code(500)
      .send(
        errorBody('INTERNAL_ERROR', `The server could not complete the request (request ${request.id}).`),
      );
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      // A refusal that says when to try again says it where clients and proxies look for it too.
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (err.kind === 'too_many_requests' && typeof retryAfter === 'number') {
        void reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
      }
      return reply.code(statusForKind[err.kind]).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        in: where,
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message ?? 'is invalid',
      }));
      const first = issues[0];
      const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'is invalid';
      return reply
        .code(400)
        .send(errorBody('VALIDATION_FAILED', `The ${where} is invalid — ${summary}`, { issues }));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.code(500).send(errorBody('INTERNAL_ERROR', 'The server could not complete the request.'));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = codeForFastifyError[err.code] ?? codeForStatus[status] ?? 'BAD_REQUEST';
      return reply.code(status).send(errorBody(code, err.message));
    }
    if (isDatabaseUnavailable(err)) {
      // Out of reach, not broken: answered at once (the pool does not wait long for a connection), with
      // when to try again, so clients and load balancers back off instead of hanging or giving up.
      request.log.warn({ err }, 'database unavailable');
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply
        .code(503)
        .send(
          errorBody('DATABASE_UNAVAILABLE', 'The database cannot be reached just now; try again shortly.'),
        );
    }
    // Never a stack trace to a client; the log has it, tied to the request id.
    request.log.error({ err }, 'unhandled error');
    return reply
      .code(status >= 500 && status < 600 ? status : 500)
      .send(
        errorBody('INTERNAL_ERROR', `The server could not complete the request (request ${request.id}).`),
      );
  });
}

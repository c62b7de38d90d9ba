import type { FastifyInstance } from 'fastify';
import { AppError } from '../app/errors.js';
import { isMultiLineField, textProblem } from '../domain/text.js';

type Where = 'body' | 'querystring' | 'params' | 'headers';

/** The first string (or key) in `value` that may not be kept, with its path; undefined when all may. */
function firstProblem(
  value: unknown,
  where: Where,
  path: (string | number)[],
): { field: string; code: string; message: string } | undefined {
  const field = () => path.join('.') || '(body)';
  if (typeof value === 'string') {
    const problem = textProblem(value, { multiline: where === 'body' && isMultiLineField(path) });
    return problem && { field: field(), ...problem };
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = firstProblem(v, where, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k, { multiline: false });
      if (keyProblem) return { field: [...path, k].join('.'), ...keyProblem };
      const found = firstProblem(v, where, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * One check every request passes, whatever its route (the better-auth ones and routes added later too):
 * no string in a JSON body, query string or path parameter, nor the Idempotency-Key kept with a
 * request, holds a control character or half a character (domain/text.ts says which and why). Runs
 * before schema validation, so no schema can forget it, and before any handler reads the database —
 * PostgreSQL refuses NUL in text, and that refusal used to be a 500. A CSV body is a string here and its
 * cells are checked by its import, row by row.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const body: unknown = request.body;
    const sources: [Where, unknown][] = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', typeof body === 'string' ? undefined : body],
      ['headers', { 'idempotency-key': request.headers['idempotency-key'] }],
    ];
    for (const [where, value] of sources) {
      const found = firstProblem(value, where, []);
      if (found) {
        throw new AppError(
          'invalid',
          found.code,
          `${where === 'body' ? '' : `${where} `}${found.field} ${found.message}`,
          { in: where, field: found.field },
        );
      }
    }
  });
}

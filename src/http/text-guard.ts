import type { FastifyInstance } from 'fastify';
import { AppError } from '../app/errors.js';
import { isMultiLineField, textProblem } from '../domain/text.js';

type Where = 'body' | 'querystring' | 'params' | 'headers';

type Node = { value: unknown; key: string | number | undefined; parent: Node | undefined };

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
  return path.reverse();
}

/**
 * The first string (or key) in `value` that may not be kept, with its path; undefined when all may.
 * Walked with a stack of its own, not by recursion: JSON.parse takes an array nested 100,000 deep, and
 * the walk must not overflow the call stack where the schema would simply have refused it.
 */
function firstProblem(
  value: unknown,
  where: Where,
): { field: string; code: string; message: string } | undefined {
  const stack: Node[] = [{ value, key: undefined, parent: undefined }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const v = node.value;
    if (typeof v === 'string') {
      const path = pathOf(node);
      const problem = textProblem(v, { multiline: where === 'body' && isMultiLineField(path) });
      if (problem) return { field: path.join('.') || '(body)', ...problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (const [k] of entries) {
        const keyProblem = textProblem(k, { multiline: false });
        if (keyProblem) return { field: [...pathOf(node), k].join('.'), ...keyProblem };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i] as [string, unknown];
        stack.push({ value: child, key: k, parent: node });
      }
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
      const found = firstProblem(value, where);
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

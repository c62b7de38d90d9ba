import http from 'node:http';
import https from 'node:https';
import { webhookUrlProblem } from '../../domain/webhooks/addresses.js';
import { guardedLookup, type HostResolver } from './destination.js';

/*
 * One HTTP attempt of a webhook: a POST, never a redirect followed (a 3xx is a failure, so a receiver
 * cannot send the server on to an address it would refuse), a deadline for the whole exchange —
 * connecting, waiting, reading — and at most the first KiB of the answer kept. The connection goes
 * only to addresses guardedLookup checked.
 */

export const RESPONSE_EXCERPT_BYTES = 1024;
/** Read no more of an answer than this: the rest is not kept, and a receiver cannot make us read forever. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export type WebhookRequest = { url: string; headers: Record<string, string>; body: string };

export type WebhookResponse = {
  /** The receiver's status, or null when none came (refused, timed out, unreachable). */
  statusCode: number | null;
  /** At most RESPONSE_EXCERPT_BYTES of the answer, as text. */
  excerpt: string;
  /** Why the attempt failed, for the admin; null when it was delivered (2xx). */
  error: string | null;
  durationMs: number;
};

export type WebhookSender = { send(request: WebhookRequest): Promise<WebhookResponse> };

/** Text a PostgreSQL text column takes: no NUL, at most `max` characters. */
function storable(text: string, max: number): string {
  return text.replaceAll('\u0000', '').slice(0, max);
}

export function httpWebhookSender(options: {
  allowPrivate: boolean;
  timeoutMs: number;
  resolver?: HostResolver;
}): WebhookSender {
  const lookup = guardedLookup(options.allowPrivate, options.resolver);
  return {
    send(request) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const problem = webhookUrlProblem(request.url, options.allowPrivate);
      if (problem) {
        return Promise.resolve({
          statusCode: null,
          excerpt: '',
          error: `refused: ${problem.message}`,
          durationMs: 0,
        });
      }
      const url = new URL(request.url);
      const client = url.protocol === 'https:' ? https : http;
      return new Promise<WebhookResponse>((resolve) => {
        let settled = false;
        const finish = (result: Omit<WebhookResponse, 'durationMs'>) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ ...result, error: result.error && storable(result.error, 500), durationMs: elapsed() });
        };
        const req = client.request(
          url,
          {
            method: 'POST',
            agent: false,
            lookup: lookup,
            headers: {
              ...request.headers,
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(request.body)),
              'user-agent': 'aftersales-webhooks/1',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let kept = 0;
            let read = 0;
            const done = () => {
              const status = res.statusCode ?? 0;
              const excerpt = storable(Buffer.concat(chunks).toString('utf8'), RESPONSE_EXCERPT_BYTES);
              const error =
                status >= 200 && status < 300
                  ? null
                  : status >= 300 && status < 400
                    ? `HTTP ${status}: redirects are not followed${res.headers.location ? ` (Location: ${res.headers.location})` : ''}`
                    : `HTTP ${status}`;
              finish({ statusCode: status, excerpt, error });
              res.destroy();
            };
            res.on('data', (chunk: Buffer) => {
              read += chunk.length;
              if (kept < RESPONSE_EXCERPT_BYTES) {
                const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
                chunks.push(part);
                kept += part.length;
              }
              if (read >= MAX_RESPONSE_BYTES) done();
            });
            res.on('end', done);
            res.on('error', (err) => {
              finish({ statusCode: res.statusCode ?? null, excerpt: '', error: err.message });
            });
          },
        );
        const deadline = setTimeout(() => {
          finish({ statusCode: null, excerpt: '', error: `timed out after ${options.timeoutMs} ms` });
          req.destroy();
        }, options.timeoutMs);
        req.on('error', (err) => {
          finish({ statusCode: null, excerpt: '', error: err.message });
        });
        req.end(request.body);
      });
    },
  };
}

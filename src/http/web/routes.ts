import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

const API_PREFIXES = ['/api/', '/healthz', '/readyz'];

/**
 * Serves the built web app. Vite fingerprints assets, so they may be cached for good; index.html is
 * never cached, so a deploy is seen at the next page load. Unknown non-API paths get index.html and
 * the client router decides.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const hasWeb = existsSync(distDir);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      maxAge: '365d',
      immutable: true,
    });
  } else {
    app.log.warn({ distDir }, 'the web app is not built; run `npm run build` (API only until then)');
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    const isApi = API_PREFIXES.some((p) => pathname.startsWith(p));
    // A path with a file extension is a missing asset: a 404, not the app in its place.
    const isAppRoute = request.method === 'GET' && !isApi && !/\.[a-z0-9]+$/i.test(pathname);
    if (isAppRoute && hasWeb) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    }
    return reply.code(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${pathname}`));
  });
}

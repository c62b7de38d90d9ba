import type { FastifyInstance } from 'fastify';

/**
 * With tracing on (src/tracing.ts), names each request's server span by its route — `POST
 * /api/v1/claims/:id/maintenance-order`, not the path with its ids — and sets `http.route`, so that
 * traces group by route as the metrics do. Not registered at all when tracing is off.
 */
export async function nameSpansByRoute(app: FastifyInstance): Promise<void> {
  const { trace } = await import('@opentelemetry/api');
  app.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (span && route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    done();
  });
}

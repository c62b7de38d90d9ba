import { register } from 'node:module';

/*
 * OpenTelemetry traces, only when asked: with OTEL_EXPORTER_OTLP_ENDPOINT set, `aftersales serve`
 * imports this module and calls startTracing() before it loads the database driver or the server;
 * without it, nothing of OpenTelemetry is even loaded, so tracing costs nothing when it is off.
 *
 * Spans: one server span per HTTP request (the maintained HTTP instrumentation; the Fastify plugin in
 * src/http/server.ts names it by route, e.g. `POST /api/v1/claims`), and one span per PostgreSQL query
 * and pool connect under it (the maintained pg instrumentation). PGlite runs in the process and has no
 * instrumentation: on the embedded database only the HTTP spans are made.
 *
 * The exporter follows the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS,
 * OTEL_SERVICE_NAME, OTEL_BSP_SCHEDULE_DELAY…) and sends OTLP over HTTP (JSON).
 */

let stopTracing: (() => Promise<void>) | undefined;

export async function startTracing(): Promise<void> {
  if (stopTracing) return;
  // The application imports `pg` as an ES module, which require hooks never see: the ES module hook is
  // registered first, for pg alone, before the application is imported.
  register('import-in-the-middle/hook.mjs', import.meta.url, { data: { include: ['pg', 'pg-pool'] } });
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const [{ registerInstrumentations }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'aftersales' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // The exporter's own posts to the collector are not traced (they would trace themselves).
        ignoreOutgoingRequestHook: (request) =>
          typeof request.path === 'string' && request.path.startsWith('/v1/traces'),
      }),
      // Statements as text (never their parameters, which hold customers' data), and no span for a
      // query outside a request (the jobs' polling would drown the requests).
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  stopTracing = () => provider.shutdown();
}

/** Sends the spans still buffered; called when the server stops. */
export async function flushTracing(): Promise<void> {
  await stopTracing?.();
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { maintenanceNumberFor } from '../../src/domain/maintenance/maintenance-number.js';
import { createScratchPostgresDatabase } from '../support/databases.js';
import { startServe, stop } from '../support/serve-process.js';

/*
 * Issue 18, "Tracing, when asked": `aftersales serve` with OTEL_EXPORTER_OTLP_ENDPOINT sends
 * OpenTelemetry traces over OTLP/HTTP to a collector — here a receiver run by the test — with a server
 * span per request named by its route and the PostgreSQL queries as spans inside it, without the
 * queries' parameters. Without the variable nothing is sent.
 */

type OtlpValue = { stringValue?: string; intValue?: string | number };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
};
type OtlpExport = { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

const url = process.env.TEST_DATABASE_URL;
const unknownNumber = maintenanceNumberFor(4242n);
const id = '0b6f3c2e-0000-4000-8000-000000000000';
const SERVER = 2;
const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue;

async function startCollector() {
  const spans: OtlpSpan[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers['content-type'] ?? ''}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const r of body.resourceSpans ?? [])
        for (const s of r.scopeSpans ?? []) for (const span of s.spans ?? []) spans.push(span);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe.skipIf(!url)('tracing with OTEL_EXPORTER_OTLP_ENDPOINT (PostgreSQL)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('sends a span per request, named by route, with its PostgreSQL queries inside it; nothing when unset', async () => {
    if (!url) throw new Error('TEST_DATABASE_URL');
    const scratch = await createScratchPostgresDatabase(url);
    cleanups.push(() => scratch.drop());
    const collector = await startCollector();
    cleanups.push(() => collector.close());
    const env = { DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };

    const traced = await startServe({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      expect((await fetch(`${traced.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${traced.url}/api/v1/claims/${id}`)).status).toBe(401);
      // A guest's lookup queries with the customer's contact: the span has the statement, not the values.
      const lookup = await fetch(`${traced.url}/api/v1/tracking/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ maintenanceNumber: unknownNumber, contact: 'secret-contact@example.com' }),
      });
      expect(lookup.status).toBe(404);
      for (let waited = 0; !collector.spans.some((s) => s.name.startsWith('pg.query:')); waited += 100) {
        if (waited > 15_000)
          throw new Error(`no database span arrived: ${JSON.stringify(collector.spans.map((s) => s.name))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await stop(traced.child);
    }
    expect(collector.paths.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);

    const ready = collector.spans.find((s) => s.kind === SERVER && s.name === 'GET /readyz');
    expect(ready, JSON.stringify(collector.spans.map((s) => s.name))).toBeDefined();
    expect(attribute(ready as OtlpSpan, 'http.route')).toBe('/readyz');
    // The readiness check's `select 1` is a span of the same trace, under the request's span.
    const query = collector.spans.find((s) => s.traceId === ready?.traceId && s.name.startsWith('pg.query:'));
    expect(query, JSON.stringify(collector.spans.map((s) => [s.name, s.traceId]))).toBeDefined();
    const byId = new Map(collector.spans.map((s) => [s.spanId, s]));
    let ancestor = query;
    while (ancestor?.parentSpanId && ancestor.spanId !== ready?.spanId)
      ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor?.spanId).toBe(ready?.spanId);
    // A route with a parameter is named by its pattern, never by the id it was called with.
    expect(collector.spans.some((s) => s.kind === SERVER && s.name.includes(id))).toBe(false);
    // Statements, never their values.
    expect(JSON.stringify(collector.spans)).not.toContain('secret-contact');
    expect(JSON.stringify(collector.spans)).not.toContain(unknownNumber);
    expect(collector.spans.some((s) => s.kind === SERVER && s.name === 'GET /api/v1/claims/:id')).toBe(true);

    // Without the variable: not one export.
    const before = collector.paths.length;
    const plain = await startServe(env);
    try {
      expect((await fetch(`${plain.url}/readyz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await stop(plain.child);
    }
    expect(collector.paths.length).toBe(before);
  }, 120_000);
});

import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/*
 * `aftersales serve --workers N` on PostgreSQL: the primary process has migrated and seeded; it forks
 * N workers that each run the whole server on the same port (node:cluster hands out connections), and
 * replaces one that dies. Nothing else is shared in memory: sessions, rate limits, jobs and the outbox
 * are already safe across processes (test/integration/several-processes.test.ts), so a worker is just
 * another process. /metrics, answered by whichever worker takes the scrape, sums every worker's series
 * through the primary, so a scrape sees the whole server, not a random worker.
 */

type MetricsMessage =
  | { type: 'aftersales:metrics-request'; id: number }
  | { type: 'aftersales:metrics-collect'; id: number }
  | { type: 'aftersales:metrics-part'; id: number; part: unknown }
  | { type: 'aftersales:metrics-answer'; id: number; text: string; contentType: string };

const isMetricsMessage = (m: unknown): m is MetricsMessage =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as { type?: unknown }).type === 'string' &&
  (m as { type: string }).type.startsWith('aftersales:metrics-');

/** How long the primary waits for the workers' parts of a scrape. */
const COLLECT_TIMEOUT_MS = 3000;

export async function servePrimary(options: {
  workers: number;
  env: Record<string, string>;
  onListening: (address: string) => void;
}): Promise<void> {
  let closing = false;
  let listening = 0;
  const fork = () => {
    const worker = cluster.fork(options.env);
    worker.on('message', (message: unknown) => {
      if (isMetricsMessage(message) && message.type === 'aftersales:metrics-request')
        void answerScrape(worker, message.id);
    });
    return worker;
  };
  cluster.on('listening', (_worker, address) => {
    // The HTTP port only: a worker may listen on others too (the inbound SMTP listener).
    if (String(address.port) !== options.env.PORT) return;
    listening += 1;
    if (listening === options.workers) {
      // Typed as a string, but null when the workers listen on every address.
      const given = address.address as string | null;
      const host = given === null || given === '' ? 'localhost' : given;
      options.onListening(`http://${host.includes(':') ? `[${host}]` : host}:${String(address.port)}`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (closing) return;
    console.error(
      `aftersales: worker ${String(worker.process.pid)} ended (${signal || `exit ${String(code)}`}); starting another`,
    );
    fork();
  });
  for (let i = 0; i < options.workers; i++) fork();

  const shutdown = () => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(0);
      });
      // Each worker finishes its requests in flight, closes its pool and exits (src/cli.ts).
      worker.process.kill('SIGTERM');
    }
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

let nextCollect = 0;
const collecting = new Map<number, { parts: unknown[]; expected: number; done: () => void }>();

async function answerScrape(asker: Worker, id: number): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter(
    (w): w is Worker => w !== undefined && w.isConnected(),
  );
  const collectId = ++nextCollect;
  const parts: unknown[] = [];
  const listeners: [Worker, (message: unknown) => void][] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
    collecting.set(collectId, {
      parts,
      expected: workers.length,
      done: () => {
        clearTimeout(timer);
        resolve();
      },
    });
    for (const worker of workers) {
      const onPart = (message: unknown) => {
        if (
          !isMetricsMessage(message) ||
          message.type !== 'aftersales:metrics-part' ||
          message.id !== collectId
        )
          return;
        worker.off('message', onPart);
        const entry = collecting.get(collectId);
        if (!entry) return;
        entry.parts.push(message.part);
        if (entry.parts.length === entry.expected) entry.done();
      };
      worker.on('message', onPart);
      listeners.push([worker, onPart]);
      worker.send({ type: 'aftersales:metrics-collect', id: collectId } satisfies MetricsMessage);
    }
  });
  collecting.delete(collectId);
  // A worker that did not answer in time (busy, or ending) must not keep a listener per scrape.
  for (const [worker, onPart] of listeners) worker.off('message', onPart);
  const aggregated = AggregatorRegistry.aggregate(
    parts as Parameters<typeof AggregatorRegistry.aggregate>[0],
  );
  asker.send({
    type: 'aftersales:metrics-answer',
    id,
    text: await aggregated.metrics(),
    contentType: aggregated.contentType,
  } satisfies MetricsMessage);
}

/**
 * In a worker: hands this process's series to the primary when it collects a scrape, and answers a
 * scrape with the sum over all workers. Outside a cluster: this process's series alone.
 */
export function clusterMetrics(registry: Registry): () => Promise<{ text: string; contentType: string }> {
  const own = async () => ({ text: await registry.metrics(), contentType: registry.contentType });
  if (!cluster.isWorker) return own;
  const waiting = new Map<number, (answer: { text: string; contentType: string }) => void>();
  let nextRequest = 0;
  process.on('message', (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === 'aftersales:metrics-collect') {
      void registry.getMetricsAsJSON().then((part) => {
        process.send?.({ type: 'aftersales:metrics-part', id: message.id, part } satisfies MetricsMessage);
      });
    } else if (message.type === 'aftersales:metrics-answer') {
      waiting.get(message.id)?.({ text: message.text, contentType: message.contentType });
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise((resolve) => {
      const id = ++nextRequest;
      // A primary that does not answer (shutting down) leaves the scrape with this worker's own series.
      const timer = setTimeout(() => {
        waiting.delete(id);
        void own().then(resolve);
      }, COLLECT_TIMEOUT_MS + 1000);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      process.send?.({ type: 'aftersales:metrics-request', id } satisfies MetricsMessage);
    });
}

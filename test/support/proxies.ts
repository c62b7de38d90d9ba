import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a server (PostgreSQL here) that a test can cut and restore. Cut, it drops
 * every open connection and stops listening, so the app sees what a stopped or failed-over database
 * looks like from its side — connections reset, new ones refused — without stopping the PostgreSQL
 * that the rest of the suite runs on at the same time. Restored, it listens on the same port again.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<{
  port: number;
  cut: () => Promise<void>;
  restore: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const makeServer = () =>
    net.createServer((client) => {
      track(client);
      const upstream = net.connect(target.port, target.host);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  let server = makeServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let listening = true;

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) {
        resolve();
        return;
      }
      listening = false;
      server.close(() => {
        resolve();
      });
      for (const socket of sockets) socket.destroy();
    });
  return {
    port,
    cut: stopListening,
    async restore() {
      if (listening) return;
      server = makeServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          resolve();
        });
      });
      listening = true;
    },
    close: stopListening,
  };
}

/**
 * The small load balancer of a test: each request goes to the next of the backends in turn, and says
 * which one served it in `x-served-by`. A backend that refuses the connection is passed over for the
 * next (the request never reached it, so sending it elsewhere is safe); one that dies mid-request
 * gives 502, as a real balancer would — the client does not know whether it happened.
 */
export async function startRoundRobin(backends: readonly string[]): Promise<{
  url: string;
  served: number[];
  close: () => Promise<void>;
}> {
  const targets = backends.map((b) => new URL(b));
  const served = targets.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (left: number) => {
        const index = next;
        next = (next + 1) % targets.length;
        const target = targets[index];
        if (!target) throw new Error('no backends');
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          (answer) => {
            served[index] = (served[index] ?? 0) + 1;
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': String(index) });
            answer.pipe(res);
            answer.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && left > 1) {
            attempt(left - 1);
            return;
          }
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: error.message } }));
          } else res.destroy();
        });
        upstream.end(body);
      };
      attempt(targets.length);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

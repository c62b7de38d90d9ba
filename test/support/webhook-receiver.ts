import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A webhook receiver run by a test: a real HTTP server on loopback that verifies every request as a
 * README reader would (`Aftersales-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, the
 * timestamp within a tolerance), keeps what it got, and can be told to answer 500, hang, redirect —
 * or to act on a request before answering it (a test kills the sending process there).
 */

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { valid: true } | { valid: false; why: string };

/** The receiver's verification: the README's dozen lines, with the replay window. */
export function verifySignature(
  secret: string,
  header: string,
  rawBody: string,
  nowSeconds = Date.now() / 1000,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  const parts = new Map(
    header.split(',').map((p) => {
      const at = p.indexOf('=');
      return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return { valid: false, why: 'malformed header' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { valid: false, why: 'timestamp out of tolerance' };
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1, 'hex');
  if (!timingSafeEqual(given, expected)) return { valid: false, why: 'signature mismatch' };
  return { valid: true };
}

export type Received = {
  eventId: string;
  eventType: string;
  deliveryId: string;
  body: Record<string, unknown>;
  /** The sending side's port (the process that sent it can be found from it: senderPid). */
  remotePort: number;
  at: number;
};

export type ReceiverMode = 'ok' | 'fail' | 'hang' | 'redirect';

/**
 * `onRequest`, when set, is called with each verified request before it is answered; a request it
 * returns `'drop'` for is never answered (the test killed the sender meanwhile).
 */
export function webhookReceiver() {
  const state = {
    secret: '',
    mode: 'ok' as ReceiverMode,
    redirectTo: '',
    received: [] as Received[],
    badSignatures: [] as string[],
    onRequest: undefined as ((r: Received) => 'drop' | undefined) | undefined,
    /** Requests being handled and not yet answered (a hang holds them). */
    open: new Set<Received>(),
  };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const check = verifySignature(state.secret, String(req.headers['aftersales-signature'] ?? ''), raw);
      if (!check.valid) {
        state.badSignatures.push(check.why);
        res.writeHead(400).end(check.why);
        return;
      }
      const got: Received = {
        eventId: String(req.headers['aftersales-event-id']),
        eventType: String(req.headers['aftersales-event-type']),
        deliveryId: String(req.headers['aftersales-delivery-id']),
        body: JSON.parse(raw) as Record<string, unknown>,
        remotePort: req.socket.remotePort ?? 0,
        at: Date.now(),
      };
      state.received.push(got);
      state.open.add(got);
      res.on('close', () => state.open.delete(got));
      if (state.onRequest?.(got) === 'drop') {
        hanging.add(res);
        return;
      }
      switch (state.mode) {
        case 'hang':
          hanging.add(res);
          return;
        case 'redirect':
          res.writeHead(302, { location: state.redirectTo }).end();
          return;
        case 'fail':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver broke');
          return;
        case 'ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
  });
  return {
    state,
    async start(): Promise<{ port: number; url: string }> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { port, url: `http://127.0.0.1:${port}/hooks` };
    },
    /** Answers nothing more to the requests it holds (closes them). */
    release() {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    async stop() {
      this.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
    /** Each event id received, and how many times. */
    countsById(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const r of state.received) counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
      return counts;
    },
  };
}

/**
 * Which of `pids` holds the loopback TCP connection whose local port is `port` (Linux /proc): the
 * process that sent a request the receiver got from that port.
 */
export function senderPid(port: number, pids: readonly number[]): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      if (local.endsWith(`:${hexPort}`) && fields[9]) inodes.add(fields[9]);
    }
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

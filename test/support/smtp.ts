import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; raw: string };

/**
 * A real SMTP server on a free loopback port, keeping what it receives. `reject` makes it refuse
 * recipients (a server that is up but will not take mail) until set back to false. `onReceived`, when
 * set, runs once a message is kept but before the server answers "250 OK" to the sender: a test can
 * kill the sender there, in the one moment at-least-once delivery is about.
 */
export async function startSmtpServer(): Promise<{
  url: string;
  received: ReceivedMail[];
  reject: { now: boolean };
  onReceived: { now?: ((mail: ReceivedMail) => Promise<void>) | undefined };
  close: () => Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const reject = { now: false };
  const onReceived: { now?: ((mail: ReceivedMail) => Promise<void>) | undefined } = {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(reject.now ? new Error('450 mailbox temporarily unavailable') : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(mail);
        const hook = onReceived.now;
        if (!hook) {
          callback();
          return;
        }
        hook(mail).then(
          () => {
            callback();
          },
          (error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
  });
  // A sender killed mid-conversation resets its connection: the server carries on, as a real one does.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    reject,
    onReceived,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

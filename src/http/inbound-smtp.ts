import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import {
  receiveEmailReply,
  replyAddressRefusal,
  ReplyRefused,
  type ReplyRefusal,
} from '../app/conversations/receive-email-reply.js';
import { tokenOfReplyAddress } from '../domain/conversations/reply-mail.js';

/*
 * The inbound SMTP listener (issue 16): takes customers' e-mail replies to `reply+<token>@<domain>` into
 * their conversation. It sits behind the organisation's MX (docs/operations.md), which does TLS, spam and
 * SPF/DKIM/DMARC checks and relays the reply addresses here; so it speaks plain SMTP without AUTH.
 *
 * Delivery is all or nothing: the DATA of a message is answered "250" only after its transaction has
 * committed, so a process that dies before that has given the sender no receipt and the sender's MTA
 * sends it again; a message kept whose receipt was lost is recognised by its Message-ID and answered
 * "250" again without a second copy. A refusal is a 5xx the sender's server bounces to them, with the
 * reason: an unknown or expired reply address at RCPT TO, an oversized message (SIZE, then counted), a
 * message without From or Message-ID, a file the upload rules refuse. A database that is down is a 451:
 * try again later.
 */

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

const refusalReply: Record<ReplyRefusal['code'], (message: string) => SmtpError> = {
  UNKNOWN_REPLY_ADDRESS: (m) => smtpError(550, `5.1.1 ${m}`),
  REPLY_ADDRESS_EXPIRED: (m) => smtpError(550, `5.1.1 ${m}`),
  MALFORMED_MESSAGE: (m) => smtpError(550, `5.6.0 ${m}`),
  EMPTY_REPLY: (m) => smtpError(550, `5.6.0 ${m}`),
  ATTACHMENT_REFUSED: (m) => smtpError(550, `5.7.1 ${m}`),
};

function asReply(err: unknown, log: FastifyInstance['log']): SmtpError {
  if (err instanceof ReplyRefused) return refusalReply[err.refusal.code](err.refusal.message);
  log.error({ err }, 'inbound e-mail: could not take a reply; the sender is asked to try again');
  return smtpError(451, '4.3.0 temporary failure; please try again later');
}

export type InboundSmtpOptions = { port: number; host: string; replyDomain: string; maxBytes: number };

export type InboundSmtp = { address(): { host: string; port: number } | null };

/** Starts the listener when the server is ready, and closes it with the server. */
export function registerInboundSmtp(app: FastifyInstance, options: InboundSmtpOptions): InboundSmtp {
  const deps = () => ({ db: app.db.db, now: app.clock });
  const tokenOf = (session: SMTPServerSession) => {
    const rcpt = session.envelope.rcptTo[0];
    return rcpt ? tokenOfReplyAddress(rcpt.address, options.replyDomain) : null;
  };

  const server = new SMTPServer({
    name: options.replyDomain,
    banner: 'aftersales replies',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes,
    logger: false,
    onRcptTo(address, session, callback) {
      const token = tokenOfReplyAddress(address.address, options.replyDomain);
      if (!token) {
        callback(smtpError(550, '5.1.1 no such mailbox: replies go to the address in our message'));
        return;
      }
      // One conversation per message: a second reply address goes in a delivery of its own.
      if (session.envelope.rcptTo.length > 0) {
        callback(smtpError(452, '4.5.3 one reply address per message; send the next one separately'));
        return;
      }
      replyAddressRefusal(deps(), token).then(
        (refusal) => {
          callback(refusal ? refusalReply[refusal.code](refusal.message) : undefined);
        },
        (err: unknown) => {
          callback(asReply(err, app.log));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped: the answer is a 552 either way.
        kept += chunk.length;
        if (kept <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || kept > options.maxBytes) {
          callback(smtpError(552, `5.3.4 message larger than ${options.maxBytes} bytes`));
          return;
        }
        const token = tokenOf(session);
        if (!token) {
          callback(smtpError(503, '5.5.1 no reply address'));
          return;
        }
        take(Buffer.concat(chunks), token).then(
          (outcome) => {
            app.log.info(outcome, 'inbound e-mail reply taken');
            callback(null, `2.0.0 ${outcome.outcome === 'held' ? 'held for our staff' : 'received'}`);
          },
          (err: unknown) => {
            callback(asReply(err, app.log));
          },
        );
      });
    },
  });
  server.on('error', (err) => {
    app.log.warn({ err }, 'inbound e-mail: connection error');
  });

  async function take(raw: Buffer, token: string) {
    let parsed;
    try {
      parsed = await simpleParser(raw, { skipHtmlToText: false });
    } catch {
      throw new ReplyRefused({ code: 'MALFORMED_MESSAGE', message: 'the message is not a readable e-mail' });
    }
    const from = parsed.from?.value.find((a) => a.address)?.address ?? null;
    return receiveEmailReply(deps(), {
      token,
      from,
      messageId: parsed.messageId ?? null,
      text: parsed.text ?? '',
      attachments: parsed.attachments.map((a) => ({ content: a.content, fileName: a.filename ?? null })),
    });
  }

  let listening = false;
  app.addHook('onReady', async () => {
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  });
  app.addHook('onClose', async () => {
    if (!listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });
  return {
    address() {
      if (!listening) return null;
      const a = server.server.address() as AddressInfo | null;
      return a ? { host: a.address, port: a.port } : null;
    },
  };
}

import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { dispatchOutbox, type Mailer } from '../app/outbox/dispatch-outbox.js';
import { textProblem } from '../domain/text.js';
import { startIntervalJob } from './interval-job.js';

/**
 * A header value as it goes on the wire: never with a control character, so a subject or a recipient
 * can never add a header line (the outbox table's CHECKs already refuse such rows; this holds for any
 * other caller of the mailer too).
 */
export function headerValue(name: string, value: string): string {
  const problem = textProblem(value, { multiline: false });
  if (problem) throw new Error(`refusing to send: the ${name} ${problem.message}`);
  return value;
}
import type { MessageKey } from '../app/outbox/sealed-links.js';

/**
 * The Message-ID of an outbox row's e-mail, the same every time it is sent: `<outbox id@sender's domain>`.
 * A copy sent again after a crash between the send and its mark is thereby the same message.
 */
export function outboxMessageId(outboxId: string, from: string): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'aftersales.invalid';
  return `<${outboxId}@${domain}>`;
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: headerValue('recipient', message.to),
        subject: headerValue('subject', message.subject),
        // Plain text only: the body is never HTML, so nothing in it (a name, a quote line) is markup.
        text: message.text,
        messageId: outboxMessageId(message.id, from),
        ...(message.replyTo ? { replyTo: headerValue('reply address', message.replyTo) } : {}),
      });
    },
  };
}

/**
 * When SMTP is configured, the process sends the outbox every few seconds (one row at a time is
 * claimed with a lock, so several processes never send one message twice).
 */
export function startOutboxDispatcher(
  app: FastifyInstance,
  options: { mailer: Mailer; intervalMs: number; messageKey: MessageKey; replyDomain?: string | undefined },
): void {
  startIntervalJob(app, {
    name: 'outbox',
    intervalMs: options.intervalMs,
    run: async () => {
      const result = await dispatchOutbox({
        db: app.db.db,
        mailer: options.mailer,
        now: app.clock,
        messageKey: options.messageKey,
        replyDomain: options.replyDomain,
      });
      if (result.sent + result.failed > 0) app.log.info(result, 'outbox dispatched');
    },
  });
}

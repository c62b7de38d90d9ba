import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { withoutSecrets } from '../../domain/outbox/message-status.js';

/*
 * Links that act for their recipient (an invitation, a password reset, an e-mail confirmation, a quote
 * to accept, a claim to follow) are live secrets. A queued message must not keep one readable in the
 * database or its backups, so the outbox row holds the body with the link's secret cut out — exactly
 * as staff see it — and the whole link sealed with AES-256-GCM under a key that is never stored in the
 * database (AUTH_SECRET or MESSAGE_KEY from the environment, or the embedded demo's secret file). The
 * dispatcher opens it and puts the link back only into the e-mail it hands the mail server.
 *
 * The recipient is bound to the seal as associated data: a row whose recipient is changed in the
 * database does not open, so nobody with write access to the outbox can redirect a reset link to
 * themselves.
 */

/** The key that seals message links, and a short fingerprint that names it in sealed values. */
export type MessageKey = { readonly key: Buffer; readonly id: string };

const FORMAT = 'v1';

/** Derives the 256-bit message key from a secret of the installation (a purpose of its own). */
export function messageKeyFrom(secret: string): MessageKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'aftersales', 'outbox link sealing v1', 32));
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 8) };
}

/** A link as a message row keeps it: shown without its secret in the body, sealed beside it. */
export type SealedLink = { shown: string; sealed: string };

const associatedData = (recipient: string) => Buffer.from(`aftersales outbox link to ${recipient}`, 'utf8');

export function sealLink(messageKey: MessageKey, input: { url: string; recipient: string }): SealedLink {
  const shown = withoutSecrets(input.url);
  if (shown === input.url) throw new Error('sealLink: this link carries no secret to seal');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', messageKey.key, iv);
  cipher.setAAD(associatedData(input.recipient));
  const sealed = Buffer.concat([cipher.update(input.url, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    shown,
    sealed: [FORMAT, messageKey.id, iv.toString('base64url'), sealed.toString('base64url')].join('.'),
  };
}

/** Why a sealed link did not open; the message cannot be sent until someone acts. */
export class SealedLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedLinkError';
  }
}

export function openLink(messageKey: MessageKey, input: { sealed: string; recipient: string }): string {
  const [format, keyId, iv, data, ...rest] = input.sealed.split('.');
  if (format !== FORMAT || !keyId || !iv || !data || rest.length > 0) {
    throw new SealedLinkError('the sealed link is not in a format this release reads');
  }
  if (keyId !== messageKey.id) {
    throw new SealedLinkError(
      `the link was sealed with another key (${keyId}; this server's is ${messageKey.id}): ` +
        'start the server with the AUTH_SECRET (or MESSAGE_KEY) it had when the message was queued',
    );
  }
  const bytes = Buffer.from(data, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', messageKey.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(associatedData(input.recipient));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedLinkError('the sealed link does not open for this recipient: the row was altered');
  }
}

/** The e-mail text: the body with the link's shown form replaced by the link itself. */
export function renderWithLink(body: string, link: string): string {
  const shown = withoutSecrets(link);
  if (!body.includes(shown)) throw new SealedLinkError('the message body does not show its link');
  return body.replaceAll(shown, link);
}

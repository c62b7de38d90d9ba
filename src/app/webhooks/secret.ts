import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { MessageKey } from '../outbox/sealed-links.js';

/*
 * An endpoint's signing secret. The server must read it back to sign each delivery, so it cannot be
 * kept as a hash like an API key; it is sealed (AES-256-GCM) under a key derived from the installation's
 * message key (AUTH_SECRET or MESSAGE_KEY, never in the database), bound to its endpoint's id, so a
 * copy of the database or a backup holds no usable secret, and a sealed secret moved to another
 * endpoint's row does not open.
 */

const FORMAT = 'v1';
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

function sealingKey(messageKey: MessageKey): Buffer {
  return Buffer.from(hkdfSync('sha256', messageKey.key, 'aftersales', 'webhook secret sealing v1', 32));
}

const associatedData = (endpointId: string) =>
  Buffer.from(`aftersales webhook endpoint ${endpointId}`, 'utf8');

/** A new secret, shown to the admin once: `whsec_` and 32 random bytes. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function sealWebhookSecret(messageKey: MessageKey, endpointId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(messageKey), iv);
  cipher.setAAD(associatedData(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [FORMAT, messageKey.id, iv.toString('base64url'), sealed.toString('base64url')].join('.');
}

export function openWebhookSecret(messageKey: MessageKey, endpointId: string, sealed: string): string {
  const [format, keyId, iv, data, ...rest] = sealed.split('.');
  if (format !== FORMAT || !keyId || !iv || !data || rest.length > 0) {
    throw new Error('the webhook secret is not in a format this release reads');
  }
  if (keyId !== messageKey.id) {
    throw new Error(
      `the webhook secret was sealed with another key (${keyId}; this server's is ${messageKey.id}): ` +
        'start the server with the AUTH_SECRET (or MESSAGE_KEY) it had when the endpoint was registered',
    );
  }
  const bytes = Buffer.from(data, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(messageKey), Buffer.from(iv, 'base64url'));
  decipher.setAAD(associatedData(endpointId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * The `Aftersales-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with
 * the endpoint's secret (the whole `whsec_…` string). The receiver recomputes it over the raw body and
 * refuses a timestamp too old (replay).
 */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

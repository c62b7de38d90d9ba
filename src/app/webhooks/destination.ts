import { lookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { addressRefusal, type AddressRefusal, webhookUrlProblem } from '../../domain/webhooks/addresses.js';
import { AppError } from '../errors.js';

/*
 * Where a webhook may go, checked twice: when an admin registers the URL (its name resolved now), and
 * at every delivery, on the very addresses the connection uses (guardedLookup) — a name that resolved
 * to a public address at registration and to 127.0.0.1 later (DNS rebinding) is refused then.
 */

export class WebhookDestinationRefused extends Error {
  constructor(
    message: string,
    readonly refusal: AddressRefusal,
  ) {
    super(message);
    this.name = 'WebhookDestinationRefused';
  }
}

const refusalWords = (refusal: AddressRefusal) => refusal.replace('_', ' ');

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node:http(s) that resolves the name and refuses it when any of its addresses is not
 * public (unless private ones are allowed): the socket then connects only to an address checked here.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback) => {
    const family = options.family === 'IPv6' || options.family === 6 ? 6 : options.family === 'IPv4' || options.family === 4 ? 4 : 0;
    lookup(hostname, { all: true, family }, (err, addresses) => {
      if (err) {
        callback(err, []);
        return;
      }
      if (!allowPrivate) {
        for (const { address } of addresses) {
          const refusal = addressRefusal(address);
          if (refusal) {
            callback(
              new WebhookDestinationRefused(
                `${hostname} resolves to ${address}, a ${refusalWords(refusal)} address: webhooks are not sent there`,
                refusal,
              ),
              [],
            );
            return;
          }
        }
      }
      const [first] = addresses;
      if (!first) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** The addresses a name has now (empty when it does not resolve). */
function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve) => {
    lookup(hostname, { all: true }, (err, addresses) => {
      resolve(err ? [] : addresses);
    });
  });
}

/**
 * Refuses (400) a URL webhooks may not be registered to: not https (unless allowed), credentials in it,
 * or a host that is, or resolves to, a private, loopback, link-local, unique-local, CGNAT or metadata
 * address. A name that does not resolve yet is accepted: deliveries check it again, every time.
 */
export async function assertWebhookDestination(url: string, allowPrivate: boolean): Promise<void> {
  const problem = webhookUrlProblem(url, allowPrivate);
  if (problem) throw new AppError('invalid', problem.code, problem.message, { field: 'url' });
  if (allowPrivate) return;
  const host = new URL(url).hostname;
  for (const { address } of await resolveAll(host)) {
    const refusal = addressRefusal(address);
    if (refusal) {
      throw new AppError(
        'invalid',
        'WEBHOOK_URL_PRIVATE',
        `${host} resolves to ${address}, a ${refusalWords(refusal)} address: webhooks are not sent there`,
        { field: 'url' },
      );
    }
  }
}

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

/** Resolves a name to all its addresses (the system resolver; a test may hand its own). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses);
    });
  });

/**
 * A `lookup` for node:http(s) that resolves the name and refuses it when any of its addresses is not
 * public (unless private ones are allowed): the socket then connects only to an address checked here.
 */
export function guardedLookup(allowPrivate: boolean, resolver: HostResolver = systemResolver) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: LookupCallback,
  ) => {
    const family =
      options.family === 'IPv6' || options.family === 6
        ? 6
        : options.family === 'IPv4' || options.family === 4
          ? 4
          : 0;
    resolver(hostname).then(
      (all) => {
        const addresses = family === 0 ? all : all.filter((a) => a.family === family);
        if (!allowPrivate) {
          for (const { address } of addresses) {
            const refusal = addressRefusal(address);
            if (refusal) {
              callback(
                new WebhookDestinationRefused(
                  `refused: ${hostname} resolves to ${address}, a ${refusalWords(refusal)} address`,
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
      },
      (err: unknown) => {
        callback(err as NodeJS.ErrnoException, []);
      },
    );
  };
}

/**
 * Refuses (400) a URL webhooks may not be registered to: not https (unless allowed), credentials in it,
 * or a host that is, or resolves to, a private, loopback, link-local, unique-local, CGNAT or metadata
 * address. A name that does not resolve yet is accepted: deliveries check it again, every time.
 */
export async function assertWebhookDestination(
  url: string,
  allowPrivate: boolean,
  resolver: HostResolver = systemResolver,
): Promise<void> {
  const problem = webhookUrlProblem(url, allowPrivate);
  if (problem) throw new AppError('invalid', problem.code, problem.message, { field: 'url' });
  if (allowPrivate) return;
  const host = new URL(url).hostname;
  const addresses = await resolver(host).catch(() => []);
  for (const { address } of addresses) {
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

import type { LocalizedText } from '../../domain/policy/schema.js';
import type { VerificationOutcome } from '../messages/en.js';
import { bilingual, type Mail } from '../messages/index.js';

/*
 * What a customer is told when their registration is checked, in both languages (the words are in the
 * server's message catalogues, app/messages; the web app's words are in web/src/i18n).
 */

export type { VerificationOutcome } from '../messages/en.js';

export function verificationMessage(
  customerName: string,
  product: LocalizedText,
  outcome: VerificationOutcome,
): Mail {
  return bilingual((m, lang) => m.purchases.verified({ customerName, product: product[lang], outcome }));
}

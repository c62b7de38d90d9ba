import type { LocalizedText } from '../../domain/policy/schema.js';
import type { VerificationOutcome } from '../messages/en.js';
import { bilingual, dealerNameIn, type Mail } from '../messages/index.js';

/*
 * What a customer is told when their registration is checked, in both languages (the words are in the
 * server's message catalogues, app/messages; the web app's words are in web/src/i18n).
 */

export type { VerificationOutcome } from '../messages/en.js';

/** What the check decided, with a corrected dealer's names in both languages (each reader gets theirs). */
export type VerificationNotice =
  | Exclude<VerificationOutcome, { kind: 'corrected' }>
  | {
      kind: 'corrected';
      purchaseDate?: string | undefined;
      dealer?: { name: string; nameZh: string | null } | undefined;
    };

export function verificationMessage(
  customerName: string,
  product: LocalizedText,
  outcome: VerificationNotice,
): Mail {
  return bilingual((m, lang) =>
    m.purchases.verified({
      customerName,
      product: product[lang],
      outcome:
        outcome.kind === 'corrected' && outcome.dealer
          ? {
              kind: 'corrected',
              purchaseDate: outcome.purchaseDate,
              dealerName: dealerNameIn(outcome.dealer, lang),
            }
          : outcome.kind === 'corrected'
            ? { kind: 'corrected', purchaseDate: outcome.purchaseDate }
            : outcome,
    }),
  );
}

import type { Language } from '../../domain/policy/schema.js';
import { type Catalogue, en, type Mail } from './en.js';
import { zh } from './zh.js';

/*
 * Putting the catalogues' words together. The outbox does not know which language its reader reads,
 * so a message carries both: the subject "English — 中文", the body the English text, a blank line,
 * then the Chinese text (both fit on one screen). A refusal answering a request is in the language the
 * request asked for.
 */

export type { Catalogue, Mail } from './en.js';

export const catalogues: Record<Language, Catalogue> = { en, zh };

/**
 * A message in both languages, e.g. `bilingual((m) => m.claims.received({ … }))`; `lang` is for facts
 * that have a name per language (a product's, a service center's): `product.name[lang]`.
 */
export function bilingual(entry: (m: Catalogue, lang: Language) => Mail): Mail {
  const english = entry(en, 'en');
  const chinese = entry(zh, 'zh');
  return { subject: `${english.subject} — ${chinese.subject}`, body: `${english.body}\n\n${chinese.body}` };
}

/** A line kept in both languages, one under the other (an approval's summary). */
export function bilingualLines(entry: (m: Catalogue, lang: Language) => string): string {
  return `${entry(en, 'en')}\n${entry(zh, 'zh')}`;
}

/** A phrase in the reader's language (a refusal answered to a request made in `lang`). */
export function phrase(lang: Language, entry: (m: Catalogue) => string): string {
  return entry(catalogues[lang]);
}

/**
 * The request for a second approval: its summary (already in both languages) leads, then the amount
 * and what the second person is to do, English and Chinese side by side.
 */
export function secondApprovalText(summary: string, amount: string): Mail {
  const english = en.approvals.secondNeeded({ amount });
  const chinese = zh.approvals.secondNeeded();
  return {
    subject: `${english.subject} — ${chinese.subject}`,
    body: `${summary}\n\n${en.approvals.amount} / ${zh.approvals.amount}: ${amount}. ${english.body} ${chinese.body}`,
  };
}

/**
 * A dealer's name as a reader of `lang` knows it: the Chinese name the maker gave, in Chinese text,
 * else the dealer's own (English) name — the same choice the web pages make.
 */
export function dealerNameIn(dealer: { name: string; nameZh: string | null }, lang: Language): string {
  return lang === 'zh' && dealer.nameZh ? dealer.nameZh : dealer.name;
}

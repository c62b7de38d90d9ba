import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../../components/Badges.js';
import type { Claim, Quote } from '../desk-api.js';

/** A claim sales prices: decided as paid (after the warranty, or misuse), or offering paid service. */
export function offersPaidService(claim: Claim): boolean {
  return claim.decision.paid || claim.decision.remedies.some((r) => r.code === 'paid_service');
}

const stateTone = {
  draft: 'gray',
  sent: 'blue',
  accepted: 'grape',
  declined: 'red',
  repaired: 'teal',
  invoiced: 'teal',
  withdrawn: 'gray',
} as const satisfies Record<Quote['state'], string>;

export function QuoteStateBadge({ state }: { state: Quote['state'] }) {
  const { t } = useTranslation();
  return <ToneBadge tone={stateTone[state]}>{t(`desk.quoteState.${state}`)}</ToneBadge>;
}

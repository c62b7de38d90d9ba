import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../components/Badges.js';
import type { InvestigationState } from './qa-api.js';

const stateTone = {
  proposed: 'grape',
  open: 'blue',
  confirmed: 'red',
  dismissed: 'gray',
  closed: 'teal',
} as const satisfies Record<InvestigationState, string>;

export function InvestigationStateBadge({ state }: { state: InvestigationState }) {
  const { t } = useTranslation();
  return <ToneBadge tone={stateTone[state]}>{t(`oem.qa.state.${state}`)}</ToneBadge>;
}

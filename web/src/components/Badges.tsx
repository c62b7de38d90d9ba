import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostBearer, Performer } from '../../../src/domain/policy/schema.js';

type Tone = 'grape' | 'blue' | 'gray' | 'teal' | 'red';

/**
 * A tinted badge whose text is the darkest shade of its colour: Mantine's "light" badges use
 * shade 6 text, below WCAG AA contrast at badge size.
 */
export function ToneBadge({ tone, children, ...props }: { tone: Tone; children: ReactNode } & BadgeProps) {
  return (
    <Badge
      variant="light"
      radius="sm"
      className="badge-readable"
      style={{
        backgroundColor: `var(--mantine-color-${tone}-0)`,
        color: `var(--mantine-color-${tone}-9)`,
        border: `1px solid var(--mantine-color-${tone}-2)`,
      }}
      {...props}
    >
      {children}
    </Badge>
  );
}

const performerTone: Record<Performer, Tone> = {
  dealer: 'grape',
  service_center: 'blue',
  sales: 'gray',
};

/** Who performs a remedy: "At the dealer", "Service center", "Sales team". */
export function PerformerBadge({ performer }: { performer: Performer }) {
  const { t } = useTranslation();
  return <ToneBadge tone={performerTone[performer]}>{t(`performer.${performer}`)}</ToneBadge>;
}

/** Whether the customer pays: "Free of charge" (the maker bears it) or "Paid". */
export function CostBadge({ costBearer }: { costBearer: CostBearer }) {
  const { t } = useTranslation();
  return <ToneBadge tone={costBearer === 'maker' ? 'teal' : 'red'}>{t(`cost.${costBearer}`)}</ToneBadge>;
}

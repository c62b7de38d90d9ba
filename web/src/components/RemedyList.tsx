import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language, RemedyRule } from '../../../src/domain/policy/schema.js';
import { CostBadge, PerformerBadge } from './Badges.js';

/** The options a policy rule offers, each with its clause number, its words and who performs it. */
export function RemedyList({ remedies, lang }: { remedies: readonly RemedyRule[]; lang: Language }) {
  const { t } = useTranslation();
  // When every option costs the same, the card says so once; a mixed list marks each option.
  const mixedCost = new Set(remedies.map((r) => r.costBearer)).size > 1;
  return (
    <Box component="ul" className="remedy-list">
      {remedies.map((remedy) => (
        <Box component="li" key={remedy.clause.id} className="remedy">
          <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
            <Text fw={700}>
              {t(`remedy.${remedy.code}`)}
              <Text span c="dimmed" fw={500} size="sm" ml={8}>
                {remedy.clause.label[lang]}
              </Text>
            </Text>
            <Group gap={6}>
              <PerformerBadge performer={remedy.performedBy} />
              {mixedCost && <CostBadge costBearer={remedy.costBearer} />}
            </Group>
          </Group>
          <Text mt={4}>{remedy.clause.text[lang]}</Text>
        </Box>
      ))}
    </Box>
  );
}

import { Anchor, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ToneBadge } from '../components/Badges.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { DayOf, PageHeader } from '../desk/ui.js';
import { creditsQuery } from './oem-api.js';
import { CreditValue } from './ui.js';

type Filter = 'open' | 'applied' | 'all';

/**
 * Credits on the next order (policy clause OEM 1): each one from the order whose excess defects gave
 * it, open until the client's next order that can take it, then applied to that order.
 */
export default function CreditsPage() {
  const { t } = useTranslation();
  const credits = useQuery(creditsQuery);
  const [filter, setFilter] = useState<Filter>('all');
  const shown = (credits.data ?? []).filter((c) =>
    filter === 'all' ? true : filter === 'open' ? c.appliedTo === null : c.appliedTo !== null,
  );
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.credits.title')} intro={t('oem.credits.intro')} />
      <SegmentedControl
        w="fit-content"
        aria-label={t('oem.credits.filter')}
        value={filter}
        onChange={(v) => {
          setFilter(v);
        }}
        data={[
          { value: 'all', label: t('oem.credits.all') },
          { value: 'open', label: t('oem.credit.open') },
          { value: 'applied', label: t('oem.credit.applied') },
        ]}
      />
      {credits.isPending ? (
        <PageLoader />
      ) : credits.isError ? (
        <LoadError error={credits.error} onRetry={() => void credits.refetch()} />
      ) : shown.length === 0 ? (
        <Text c="dimmed">{t('oem.credits.none')}</Text>
      ) : (
        <ScrollTable label={t('oem.credits.title')} minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('oem.credits.fromOrder')}</Table.Th>
                <Table.Th scope="col">{t('oem.credits.value')}</Table.Th>
                <Table.Th scope="col">{t('oem.credits.chosenOn')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('oem.credits.appliedTo')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/oem/orders/${c.order.id}`} ff="monospace" size="sm">
                      {c.order.orderNumber}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      <CreditValue credit={c.credit} />
                    </Text>
                    <Text size="xs" c="dark.6">
                      {t(c.credit?.kind === 'money' ? 'oem.remedy.inMoney' : 'oem.remedy.inUnits')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <DayOf at={c.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <ToneBadge tone={c.appliedTo ? 'teal' : 'grape'}>
                      {c.appliedTo ? t('oem.credit.applied') : t('oem.credit.open')}
                    </ToneBadge>
                  </Table.Td>
                  <Table.Td>
                    {c.appliedTo ? (
                      <>
                        <Anchor
                          component={Link}
                          to={`/oem/orders/${c.appliedTo.id}`}
                          ff="monospace"
                          size="sm"
                        >
                          {c.appliedTo.orderNumber}
                        </Anchor>
                        <Text size="xs" c="dark.6">
                          <DayOf at={c.appliedTo.appliedAt} />
                        </Text>
                      </>
                    ) : (
                      <Text size="sm" c="dark.6">
                        {t('oem.credit.waiting')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

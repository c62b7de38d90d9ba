import { Alert, Button, Group, NativeSelect, NumberInput, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError } from '../components/Status.js';
import { Amount } from '../desk/ui.js';
import { ChangeError, isStale, Section } from '../service/common.js';
import { policyLanguage } from '../i18n/index.js';
import { type OrderWork, orderWorkQuery, partsQuery, recordOrderWork } from './work-parts-api.js';

/*
 * The parts a repair used and the hours it took, on the order page of the technician and of support:
 * the list with its cost, and — when the server says the reader may change it — a form that sends the
 * whole list back at the version it read. After the product went back, the form asks why (a correction).
 */

type Line = { key: number; partId: string; quantity: number | string };

function WorkForm({ work, sku, onDone }: { work: OrderWork; sku: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const queryClient = useQueryClient();
  const parts = useQuery(partsQuery);
  const [lines, setLines] = useState<Line[]>(
    work.parts.map((p, i) => ({ key: i, partId: p.part.id, quantity: p.quantity })),
  );
  const [hours, setHours] = useState<number | string>(work.labourHours);
  const [reason, setReason] = useState('');
  const [nextKey, setNextKey] = useState(work.parts.length);
  const correcting = work.rule === 'correct';
  // The parts of this product and the shared ones, and any already on the order (even retired).
  const offered = (parts.data ?? []).filter(
    (p) => p.product === null || p.product.sku === sku || work.parts.some((l) => l.part.id === p.id),
  );
  const save = useMutation({
    mutationFn: () =>
      recordOrderWork(work.orderId, {
        expectedVersion: work.version,
        parts: lines.filter((l) => l.partId).map((l) => ({ partId: l.partId, quantity: Number(l.quantity) })),
        labourHours: Number(hours),
        ...(correcting ? { correctionReason: reason.trim() } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['work', 'order-work', work.orderId] });
      onDone();
    },
    onError: async (error) => {
      if (isStale(error))
        await queryClient.invalidateQueries({ queryKey: ['work', 'order-work', work.orderId] });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!save.isPending) save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={t('work.parts.formLabel')}>
      <Stack gap="sm">
        {save.isError && <ChangeError error={save.error} object="order" />}
        {correcting && (
          <Alert color="orange" variant="light">
            {t('work.parts.correctionHint')}
          </Alert>
        )}
        {lines.map((line, index) => (
          <Group key={line.key} align="flex-end" wrap="wrap" gap="sm">
            <NativeSelect
              label={t('work.parts.part', { n: index + 1 })}
              value={line.partId}
              style={{ flex: '1 1 14rem' }}
              onChange={(e) => {
                const partId = e.currentTarget.value;
                setLines(lines.map((l) => (l.key === line.key ? { ...l, partId } : l)));
              }}
              data={[
                { value: '', label: t('work.parts.choose') },
                ...offered.map((p) => ({ value: p.id, label: `${p.partNumber} · ${p.name[lang]}` })),
              ]}
            />
            <NumberInput
              label={t('work.parts.quantity')}
              value={line.quantity}
              min={1}
              max={1000}
              allowDecimal={false}
              w={110}
              onChange={(quantity) => {
                setLines(lines.map((l) => (l.key === line.key ? { ...l, quantity } : l)));
              }}
            />
            <Button
              variant="subtle"
              color="red"
              onClick={() => {
                setLines(lines.filter((l) => l.key !== line.key));
              }}
            >
              {t('work.parts.remove', { n: index + 1 })}
            </Button>
          </Group>
        ))}
        <Group>
          <Button
            variant="default"
            onClick={() => {
              setLines([...lines, { key: nextKey, partId: '', quantity: 1 }]);
              setNextKey(nextKey + 1);
            }}
          >
            {t('work.parts.add')}
          </Button>
        </Group>
        <NumberInput
          label={t('work.parts.hours')}
          description={t('work.parts.hoursHint')}
          value={hours}
          min={0}
          max={200}
          step={0.25}
          decimalScale={2}
          w={200}
          onChange={setHours}
        />
        {correcting && (
          <Textarea
            label={t('work.parts.reason')}
            required
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
            }}
          />
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('work.parts.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function OrderWorkPanel({ orderId, sku }: { orderId: string; sku: string }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const work = useQuery(orderWorkQuery(orderId));
  const [editing, setEditing] = useState(false);
  return (
    <Section id="order-work-title" title={t('work.parts.title')}>
      {work.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {work.isError && <LoadError error={work.error} onRetry={() => void work.refetch()} />}
      {work.data && (
        <Stack gap="md">
          {!work.data.underWarranty && (
            <Text size="sm" c="dimmed">
              {t('work.parts.notWarranty')}
            </Text>
          )}
          {work.data.parts.length === 0 ? (
            <Text size="sm">{t('work.parts.none')}</Text>
          ) : (
            <ScrollTable label={t('work.parts.tableLabel')} minWidth={480}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('work.parts.part', { n: '' }).trim()}</Table.Th>
                    <Table.Th scope="col">{t('work.parts.quantity')}</Table.Th>
                    <Table.Th scope="col">{t('work.parts.unitCost')}</Table.Th>
                    <Table.Th scope="col">{t('work.parts.cost')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {work.data.parts.map((line) => (
                    <Table.Tr key={line.part.id}>
                      <Table.Td>
                        {line.part.partNumber} · {line.part.name[lang]}
                      </Table.Td>
                      <Table.Td>{line.quantity}</Table.Td>
                      <Table.Td>
                        <Amount money={line.unitCost} />
                      </Table.Td>
                      <Table.Td>
                        <Amount money={line.cost} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          <dl className="work-totals">
            <dt>{t('work.parts.labour')}</dt>
            <dd>
              {t('work.parts.hoursAt', { hours: work.data.labourHours })} ·{' '}
              <Amount money={work.data.labourCost} />
            </dd>
            <dt>{t('work.parts.partsCost')}</dt>
            <dd>
              <Amount money={work.data.partsCost} />
            </dd>
            <dt>{t('work.parts.total')}</dt>
            <dd>
              <strong>
                <Amount money={work.data.total} />
              </strong>
            </dd>
          </dl>
          {editing ? (
            <WorkForm
              work={work.data}
              sku={sku}
              onDone={() => {
                setEditing(false);
              }}
            />
          ) : (
            work.data.mayChange && (
              <Group>
                <Button
                  onClick={() => {
                    setEditing(true);
                  }}
                >
                  {work.data.rule === 'correct' ? t('work.parts.correct') : t('work.parts.record')}
                </Button>
              </Group>
            )
          )}
        </Stack>
      )}
    </Section>
  );
}

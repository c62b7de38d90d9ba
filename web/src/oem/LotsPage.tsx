import {
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { Day, Done, PageHeader, useApiLanguage } from '../desk/ui.js';
import { productsQuery } from '../queries.js';
import { allocateLot, createLot, type Lot, lotsQuery, ordersQuery } from './oem-api.js';
import { OemErrorAlert, Units } from './ui.js';

const wholeNumber = (text: string): number | undefined =>
  /^\d{1,9}$/.test(text.trim()) && Number(text.trim()) > 0 ? Number(text.trim()) : undefined;

/** QA or sales record a lot when its goods are made: product, code, units made, the day. */
function NewLot() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const products = useQuery(productsQuery);
  const [draft, setDraft] = useState({ sku: '', code: '', quantity: '', madeOn: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof draft, string>>>({});
  const create = useMutation({
    mutationFn: createLot,
    onSuccess: async () => {
      setDraft({ sku: '', code: '', quantity: '', madeOn: '' });
      await queryClient.invalidateQueries({ queryKey: ['oem', 'lots'] });
    },
  });
  const set = (field: keyof typeof draft) => (event: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: event.currentTarget.value });
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: typeof errors = {};
    if (!draft.sku) problems.sku = t('oem.newOrder.productRequired');
    if (!draft.code.trim()) problems.code = t('oem.newOrder.lotRequired');
    const quantity = wholeNumber(draft.quantity);
    if (!quantity) problems.quantity = t('oem.newOrder.quantityInvalid');
    if (!draft.madeOn) problems.madeOn = t('oem.lots.madeOnRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !quantity) return;
    create.mutate({ sku: draft.sku, code: draft.code.trim(), quantity, madeOn: draft.madeOn });
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="new-lot-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4" id="new-lot-title">
            {t('oem.lots.add')}
          </Title>
          {create.isError && <OemErrorAlert error={create.error} />}
          {create.isSuccess && <Done title={t('oem.lots.added', { code: create.data.code })} />}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
            <NativeSelect
              name="sku"
              label={t('oem.fields.product')}
              required
              value={draft.sku}
              error={errors.sku}
              onChange={set('sku')}
              data={[
                { value: '', label: t('oem.choose') },
                ...(products.data ?? []).map((p) => ({ value: p.sku, label: `${p.name[lang]} (${p.sku})` })),
              ]}
            />
            <TextInput
              name="code"
              label={t('oem.fields.lot')}
              required
              value={draft.code}
              error={errors.code}
              onChange={set('code')}
              autoComplete="off"
            />
            <TextInput
              name="quantity"
              label={t('oem.lots.made')}
              required
              inputMode="numeric"
              value={draft.quantity}
              error={errors.quantity}
              onChange={set('quantity')}
              autoComplete="off"
            />
            <TextInput
              type="date"
              name="madeOn"
              label={t('oem.lots.madeOn')}
              required
              value={draft.madeOn}
              error={errors.madeOn}
              onChange={set('madeOn')}
            />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              loading={create.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('oem.lots.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** Ships units of a lot to a confirmed order of its product: never more than the lot has left. */
function Allocate({ lots }: { lots: Lot[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const orders = useQuery(ordersQuery);
  const [lotId, setLotId] = useState('');
  const [orderId, setOrderId] = useState('');
  const [units, setUnits] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const lot = lots.find((l) => l.id === lotId);
  const candidates = (orders.data ?? []).filter(
    (o) => o.state === 'confirmed' && lot !== undefined && o.product.id === lot.product.id,
  );
  const allocate = useMutation({
    mutationFn: () => allocateLot(lotId, { orderId, units: wholeNumber(units) ?? 0 }),
    onSuccess: async () => {
      setUnits('');
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!lotId || !orderId || !wholeNumber(units)) {
      setProblem(t('oem.lots.allocateIncomplete'));
      return;
    }
    setProblem(undefined);
    allocate.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="allocate-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4" id="allocate-title">
            {t('oem.lots.allocate')}
          </Title>
          <Text size="sm" c="dark.6">
            {t('oem.lots.allocateIntro')}
          </Text>
          {allocate.isError && <OemErrorAlert error={allocate.error} />}
          {allocate.isSuccess && (
            <Done title={t('oem.lots.allocated', { code: allocate.data.code, left: allocate.data.left })} />
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <NativeSelect
              name="lotId"
              label={t('oem.fields.lot')}
              required
              value={lotId}
              onChange={(e) => {
                setLotId(e.currentTarget.value);
                setOrderId('');
              }}
              data={[
                { value: '', label: t('oem.choose') },
                ...lots.map((l) => ({
                  value: l.id,
                  label: t('oem.lots.option', { code: l.code, left: l.left }),
                })),
              ]}
            />
            <NativeSelect
              name="orderId"
              label={t('oem.lots.toOrder')}
              required
              value={orderId}
              onChange={(e) => {
                setOrderId(e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('oem.choose') },
                ...candidates.map((o) => ({ value: o.id, label: `${o.orderNumber} · ${o.client.name}` })),
              ]}
            />
            <TextInput
              name="units"
              label={t('oem.fields.units')}
              required
              inputMode="numeric"
              value={units}
              error={problem}
              onChange={(e) => {
                setUnits(e.currentTarget.value);
              }}
              autoComplete="off"
            />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              loading={allocate.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('oem.lots.allocateSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/**
 * The maker's production lots: units made, shipped to which client's order, left. A client never
 * names a lot; QA and sales ship a lot's units to confirmed orders, never more than it holds.
 */
export default function LotsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const lots = useQuery(lotsQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.lots.title')} intro={t('oem.lots.intro')} />
      <NewLot />
      {lots.isPending ? (
        <PageLoader />
      ) : lots.isError ? (
        <LoadError error={lots.error} onRetry={() => void lots.refetch()} />
      ) : (
        <>
          <Allocate lots={lots.data} />
          <ScrollTable label={t('oem.lots.title')} minWidth={760}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
                  <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                  <Table.Th scope="col">{t('oem.lots.madeOn')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('oem.lots.made')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('oem.lots.left')}
                  </Table.Th>
                  <Table.Th scope="col">{t('oem.lots.shippedTo')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lots.data.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Th scope="row" ff="monospace" fw={500}>
                      {l.code}
                    </Table.Th>
                    <Table.Td>{l.product.name[lang]}</Table.Td>
                    <Table.Td>
                      <Day date={l.madeOn} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Units count={l.quantity} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Units count={l.left} />
                    </Table.Td>
                    <Table.Td>
                      {l.allocations.length === 0
                        ? '—'
                        : l.allocations.map((a) => (
                            <Text key={a.id} size="sm">
                              {a.order.orderNumber} · {a.client.name} · <Units count={a.units} />
                            </Text>
                          ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </Stack>
  );
}

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
import { currencies, parseAmount } from '../desk/money.js';
import { Amount, Day, Done, PageHeader, useApiLanguage } from '../desk/ui.js';
import { oemClientsQuery } from '../parties.js';
import { productsQuery } from '../queries.js';
import { addPrice, type PriceListEntry, priceListQuery } from './oem-api.js';
import { OemErrorAlert } from './ui.js';

type Draft = { clientId: string; sku: string; price: string; currency: string; effectiveFrom: string };

/**
 * Sales's contract prices per OEM client and product, each version from the day it takes effect.
 * Orders are confirmed at the version in force on their day; a new version never changes an order
 * already confirmed, and no version is ever edited — a new price is a new line.
 */
export default function PriceListPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const prices = useQuery(priceListQuery);
  const clients = useQuery(oemClientsQuery);
  const products = useQuery(productsQuery);
  const [draft, setDraft] = useState<Draft>({
    clientId: '',
    sku: '',
    price: '',
    currency: 'CNY',
    effectiveFrom: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [added, setAdded] = useState<PriceListEntry | undefined>();
  const add = useMutation({
    mutationFn: addPrice,
    onSuccess: async (entry) => {
      setAdded(entry);
      await queryClient.invalidateQueries({ queryKey: ['oem', 'price-list'] });
    },
  });
  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: event.currentTarget.value });
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: typeof errors = {};
    if (!draft.clientId) problems.clientId = t('oem.newOrder.clientRequired');
    if (!draft.sku) problems.sku = t('oem.newOrder.productRequired');
    const amountMinor = parseAmount(draft.price, draft.currency);
    if (amountMinor === undefined) problems.price = t('desk.money.invalid');
    if (!draft.effectiveFrom) problems.effectiveFrom = t('oem.prices.fromRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0 || amountMinor === undefined) return;
    setAdded(undefined);
    add.mutate({
      clientId: draft.clientId,
      sku: draft.sku,
      unitPrice: { amountMinor, currency: draft.currency },
      effectiveFrom: draft.effectiveFrom,
    });
  };
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.prices.title')} intro={t('oem.prices.intro')} />
      <Card withBorder padding="lg" component="section" aria-labelledby="price-form-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Title order={2} size="h4" id="price-form-title">
              {t('oem.prices.add')}
            </Title>
            {add.isError && <OemErrorAlert error={add.error} />}
            {added && (
              <Done title={t('oem.prices.added')}>
                {added.client.name} · {added.product.sku} · <Amount money={added.unitPrice} />
              </Done>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }} spacing="md">
              <NativeSelect
                name="clientId"
                label={t('oem.fields.client')}
                required
                value={draft.clientId}
                error={errors.clientId}
                onChange={set('clientId')}
                data={[
                  { value: '', label: t('oem.choose') },
                  ...(clients.data ?? []).map((c) => ({ value: c.id, label: c.name })),
                ]}
              />
              <NativeSelect
                name="sku"
                label={t('oem.fields.product')}
                required
                value={draft.sku}
                error={errors.sku}
                onChange={set('sku')}
                data={[
                  { value: '', label: t('oem.choose') },
                  ...(products.data ?? []).map((p) => ({
                    value: p.sku,
                    label: `${p.name[lang]} (${p.sku})`,
                  })),
                ]}
              />
              <TextInput
                name="price"
                label={t('oem.prices.unitPrice')}
                required
                inputMode="decimal"
                value={draft.price}
                error={errors.price}
                onChange={set('price')}
                autoComplete="off"
              />
              <NativeSelect
                name="currency"
                label={t('desk.money.currency')}
                value={draft.currency}
                onChange={set('currency')}
                data={currencies.map((c) => ({ value: c, label: c }))}
              />
              <TextInput
                type="date"
                name="effectiveFrom"
                label={t('oem.prices.effectiveFrom')}
                required
                value={draft.effectiveFrom}
                error={errors.effectiveFrom}
                onChange={set('effectiveFrom')}
              />
            </SimpleGrid>
            <Group>
              <Button
                type="submit"
                loading={add.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('oem.prices.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {prices.isPending ? (
        <PageLoader />
      ) : prices.isError ? (
        <LoadError error={prices.error} onRetry={() => void prices.refetch()} />
      ) : prices.data.length === 0 ? (
        <Text c="dark.6">{t('oem.prices.none')}</Text>
      ) : (
        <ScrollTable label={t('oem.prices.versions')} minWidth={640}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('oem.fields.client')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('oem.prices.unitPrice')}
                </Table.Th>
                <Table.Th scope="col">{t('oem.prices.effectiveFrom')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {prices.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.client.name}</Table.Td>
                  <Table.Td>
                    {p.product.name[lang]}{' '}
                    <Text span ff="monospace" size="sm">
                      ({p.product.sku})
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount money={p.unitPrice} />
                  </Table.Td>
                  <Table.Td>
                    <Day date={p.effectiveFrom} />
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

import { Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { productSchema } from '../../../../src/http/catalog/schemas.js';
import { request, send } from '../../api.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { Amount, DeskErrorAlert, Done, PageHeader, useApiLanguage } from '../ui.js';
import { amountText, currencies, parseAmount } from '../money.js';

type Product = z.infer<typeof productSchema>;

const pricesQueryKey = ['desk', 'catalogue-prices'] as const;

/** One product's price, edited in place: the amount as typed and its currency. */
function PriceForm({ product, onSaved }: { product: Product; onSaved: (p: Product) => void }) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState(
    product.price ? amountText(product.price.amountMinor, product.price.currency) : '',
  );
  const [currency, setCurrency] = useState(product.price?.currency ?? 'CNY');
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (price: { amountMinor: number; currency: string } | null) =>
      send(productSchema, 'PUT', `/api/v1/products/${encodeURIComponent(product.id)}/price`, { price }),
    onSuccess: async (saved) => {
      onSaved(saved);
      await queryClient.invalidateQueries({ queryKey: pricesQueryKey });
    },
  });
  const name = lang === 'zh' ? product.nameZh : product.nameEn;
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (amount.trim() === '') {
      save.mutate(null);
      return;
    }
    const minor = parseAmount(amount, currency);
    if (minor === undefined) {
      setInvalid(true);
      return;
    }
    save.mutate({ amountMinor: minor, currency });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('desk.prices.formNamed', { product: name })}>
      <Stack gap={4}>
        {save.isError && <DeskErrorAlert error={save.error} />}
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <TextInput
            size="xs"
            w={120}
            inputMode="decimal"
            label={t('desk.prices.amountNamed', { product: name })}
            labelProps={{ className: 'visually-hidden' }}
            value={amount}
            error={invalid ? t('desk.record.priceInvalid') : undefined}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              setInvalid(false);
            }}
          />
          <NativeSelect
            size="xs"
            w={80}
            aria-label={t('desk.record.currency')}
            value={currency}
            onChange={(e) => {
              setCurrency(e.currentTarget.value);
            }}
            data={[...currencies]}
          />
          <Button
            size="compact-sm"
            type="submit"
            loading={save.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('desk.prices.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Sales keep each product's catalogue price: the most a dealer may ask Halotek back for one unit it
 * replaced or refunded.
 */
export default function CataloguePricesPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const rows = useQuery({
    queryKey: pricesQueryKey,
    queryFn: () => request(z.array(productSchema), '/api/v1/products/prices'),
  });
  const [saved, setSaved] = useState<Product | null>(null);
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.prices.title')} intro={t('desk.prices.intro')} />
      {saved && <Done title={t('desk.prices.saved', { sku: saved.sku })} />}
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : (
        <ScrollTable label={t('desk.prices.title')} minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.prices.current')}</Table.Th>
                <Table.Th scope="col">{t('desk.prices.change')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Th scope="row">
                    <Text size="sm" fw={600}>
                      {lang === 'zh' ? p.nameZh : p.nameEn}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {p.sku}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {p.price ? <Amount money={p.price} /> : <Text size="sm">{t('desk.prices.none')}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <PriceForm
                      key={`${p.id}-${p.price?.amountMinor ?? 'none'}`}
                      product={p}
                      onSaved={setSaved}
                    />
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

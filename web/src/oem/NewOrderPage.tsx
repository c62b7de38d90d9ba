import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader, useApiLanguage } from '../desk/ui.js';
import { oemClientsQuery } from '../parties.js';
import { productsQuery } from '../queries.js';
import { createOrder, ordersListKey } from './oem-api.js';
import { OemErrorAlert, oemStaff, useHasRole } from './ui.js';

type Draft = {
  clientId: string;
  sku: string;
  orderNumber: string;
  quantity: string;
  deliveryDate: string;
};
type Errors = Partial<Record<string, string>>;

/** "0.45" (per cent) → 45 basis points; undefined unless it is a plain number with at most two decimals. */
export function percentToBps(text: string): number | undefined {
  const match = /^(\d{1,2})(?:[.,](\d{0,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const wholeNumber = (text: string): number | undefined =>
  /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;

/**
 * A request for an OEM order: the product, how many, the delivery wanted and the client's own number.
 * No price, no spare rate, no lots: the maker's sales confirm the order at the contract price with its
 * spares, and QA ships it from the maker's lots. Credits waiting from earlier orders are applied then.
 */
export default function NewOrderPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const staff = useHasRole(oemStaff);
  const products = useQuery(productsQuery);
  const clients = useQuery({ ...oemClientsQuery, enabled: staff });
  const [draft, setDraft] = useState<Draft>(() => ({
    clientId: '',
    sku: '',
    orderNumber: '',
    quantity: '',
    deliveryDate: '',
  }));
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: createOrder,
    onSuccess: async (order) => {
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
      await queryClient.invalidateQueries({ queryKey: ordersListKey });
      await navigate(`/oem/orders/${order.id}`, { state: { created: true } });
    },
  });

  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: event.currentTarget.value });
  };
  const quantity = wholeNumber(draft.quantity);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Errors = {};
    if (staff && !draft.clientId) problems.clientId = t('oem.newOrder.clientRequired');
    if (!draft.sku) problems.sku = t('oem.newOrder.productRequired');
    if (!quantity) problems.quantity = t('oem.newOrder.quantityInvalid');
    if (!draft.deliveryDate) problems.deliveryDate = t('oem.newOrder.deliveryRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !quantity) return;
    create.mutate({
      clientId: staff ? draft.clientId : undefined,
      sku: draft.sku,
      orderNumber: draft.orderNumber.trim() || undefined,
      quantity,
      deliveryDate: draft.deliveryDate,
    });
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.newOrder.title')} intro={t('oem.newOrder.intro')} />
      <Card withBorder padding="lg" component="section" aria-labelledby="order-form-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {create.isError && <OemErrorAlert error={create.error} />}
            <Title order={2} size="h4" id="order-form-title">
              {t('oem.newOrder.what')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              {staff && (
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
              )}
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
                name="orderNumber"
                label={t('oem.fields.orderNumberOptional')}
                description={t('oem.newOrder.orderNumberHint')}
                value={draft.orderNumber}
                onChange={set('orderNumber')}
                autoComplete="off"
              />
              <TextInput
                name="quantity"
                label={t('oem.fields.quantity')}
                required
                inputMode="numeric"
                value={draft.quantity}
                error={errors.quantity}
                onChange={set('quantity')}
                autoComplete="off"
              />
              <TextInput
                type="date"
                name="deliveryDate"
                label={t('oem.fields.wantedDelivery')}
                required
                value={draft.deliveryDate}
                error={errors.deliveryDate}
                onChange={set('deliveryDate')}
              />
            </SimpleGrid>
            <Text size="sm" c="dark.6">
              {t('oem.newOrder.afterRequest')}
            </Text>
            <Group>
              <Button
                type="submit"
                loading={create.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('oem.newOrder.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

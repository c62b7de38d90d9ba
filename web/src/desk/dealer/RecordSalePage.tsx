import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { recordPurchaseRequestSchema } from '../../../../src/http/purchases/schemas.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { storeToday } from '../../format.js';
import { fieldErrors, type FieldErrors } from '../../pages/admin/EntityAdmin.js';
import { productsQuery } from '../../queries.js';
import { purchasesListKey, recordPurchase } from '../desk-api.js';
import { currencies, parseAmount } from '../money.js';
import { Done, PageHeader, useApiLanguage } from '../ui.js';

type Draft = {
  serial: string;
  sku: string;
  purchaseDate: string;
  name: string;
  email: string;
  phone: string;
  /** What the buyer paid, as typed ("299.00"); blank: not recorded (a refund then waits for support). */
  price: string;
  currency: string;
};

const emptyDraft = (): Draft => ({
  serial: '',
  sku: '',
  purchaseDate: storeToday(),
  name: '',
  email: '',
  phone: '',
  price: '',
  currency: 'CNY',
});

const blank = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** A dealer records one sale: the unit or the product, the day, and who bought it. */
export default function RecordSalePage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const products = useQuery(productsQuery);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  // One key per submission: a retry of the same sale is answered once; an edited form is a new sale.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const record = useMutation({
    mutationFn: (body: Parameters<typeof recordPurchase>[0]) => recordPurchase(body, key),
    onSuccess: async () => {
      setDraft(emptyDraft());
      setKey(crypto.randomUUID());
      await queryClient.invalidateQueries({ queryKey: purchasesListKey });
    },
  });

  const change = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: event.currentTarget.value });
    setKey(crypto.randomUUID());
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: FieldErrors = {};
    if (!blank(draft.serial) && !blank(draft.sku)) problems.serial = t('desk.record.productRequired');
    if (!blank(draft.email) && !blank(draft.phone)) problems.email = t('desk.record.contactRequired');
    const priceMinor =
      blank(draft.price) === undefined ? undefined : parseAmount(draft.price, draft.currency);
    if (blank(draft.price) !== undefined && priceMinor === undefined)
      problems.price = t('desk.record.priceInvalid');
    const parsed = recordPurchaseRequestSchema.safeParse({
      serial: blank(draft.serial),
      sku: blank(draft.sku),
      purchaseDate: draft.purchaseDate,
      buyer: { name: draft.name.trim(), email: blank(draft.email), phone: blank(draft.phone) },
      price: priceMinor === undefined ? undefined : { amountMinor: priceMinor, currency: draft.currency },
    });
    const all = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...problems };
    if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'buyer')) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[1];
        if (issue.path[0] === 'buyer' && typeof field === 'string') all[field] ??= issue.message;
      }
    }
    if (!parsed.success || Object.keys(problems).length > 0) {
      setErrors(all);
      return;
    }
    setErrors({});
    record.mutate(parsed.data);
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.record.title')} intro={t('desk.record.intro')} />
      {record.isSuccess && (
        <Done title={t('desk.record.doneTitle')}>
          {t('desk.record.done', {
            product: record.data.product.name[lang],
            buyer: record.data.buyer.name ?? '',
          })}{' '}
          <Link to="/desk/dealer/sales">{t('desk.record.seeSales')}</Link>
        </Done>
      )}
      <Card withBorder padding="lg" component="section" aria-labelledby="record-form-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {record.isError && <ApiErrorAlert error={record.error} />}
            <Title order={2} size="h4" id="record-form-title">
              {t('desk.record.what')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <TextInput
                name="serial"
                label={t('desk.fields.serial')}
                description={t('desk.record.serialHint')}
                value={draft.serial}
                error={errors.serial}
                onChange={change('serial')}
                autoComplete="off"
              />
              <NativeSelect
                name="sku"
                label={t('desk.fields.productOptional')}
                description={t('desk.record.skuHint')}
                value={draft.sku}
                error={errors.sku}
                onChange={change('sku')}
                data={[
                  { value: '', label: t('desk.record.fromSerial') },
                  ...(products.data ?? []).map((p) => ({
                    value: p.sku,
                    label: `${p.name[lang]} (${p.sku})`,
                  })),
                ]}
              />
              <TextInput
                type="date"
                name="purchaseDate"
                label={t('desk.fields.purchaseDate')}
                required
                max={storeToday()}
                value={draft.purchaseDate}
                error={errors.purchaseDate}
                onChange={change('purchaseDate')}
              />
              <TextInput
                name="price"
                label={t('desk.record.price')}
                description={t('desk.record.priceHint')}
                inputMode="decimal"
                value={draft.price}
                error={errors.price}
                onChange={change('price')}
                autoComplete="off"
              />
              <NativeSelect
                name="currency"
                label={t('desk.record.currency')}
                value={draft.currency}
                onChange={change('currency')}
                data={[...currencies]}
              />
            </SimpleGrid>
            <Title order={2} size="h4">
              {t('desk.record.who')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <TextInput
                name="buyerName"
                label={t('desk.fields.buyerName')}
                required
                value={draft.name}
                error={errors.name}
                onChange={change('name')}
                autoComplete="off"
              />
              <TextInput
                type="email"
                name="buyerEmail"
                label={t('desk.fields.email')}
                value={draft.email}
                error={errors.email}
                onChange={change('email')}
                autoComplete="off"
              />
              <TextInput
                type="tel"
                name="buyerPhone"
                label={t('desk.fields.phone')}
                value={draft.phone}
                error={errors.phone}
                onChange={change('phone')}
                autoComplete="off"
              />
            </SimpleGrid>
            <Text size="sm" c="dark.6">
              {t('desk.record.contactHint')}
            </Text>
            <Group>
              <Button
                type="submit"
                loading={record.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('desk.record.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

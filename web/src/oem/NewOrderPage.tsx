import {
  ActionIcon,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { currencies, parseAmount } from '../desk/money.js';
import { PageHeader, useApiLanguage } from '../desk/ui.js';
import { formatBasisPoints } from '../format.js';
import { oemClientsQuery } from '../parties.js';
import { currentPolicyQuery, productsQuery } from '../queries.js';
import { createOrder, type CreateOrderRequest } from './oem-api.js';
import { OemErrorAlert, oemStaff, useHasRole } from './ui.js';

type LotDraft = { key: string; lot: string; units: string; first: string; last: string };
type Draft = {
  clientId: string;
  sku: string;
  orderNumber: string;
  quantity: string;
  spareRate: string;
  deliveryDate: string;
  unitPrice: string;
  currency: string;
  lots: LotDraft[];
};
type Errors = Partial<Record<string, string>>;

const newLot = (): LotDraft => ({ key: crypto.randomUUID(), lot: '', units: '', first: '', last: '' });

/** "0.45" (per cent) → 45 basis points; undefined unless it is a plain number with at most two decimals. */
export function percentToBps(text: string): number | undefined {
  const match = /^(\d{1,2})(?:[.,](\d{0,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const wholeNumber = (text: string): number | undefined =>
  /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;

/**
 * A new OEM order: the product, how many, the spare rate the contract names (0.3 %–0.5 %: the spares
 * are worked out, rounded up, and shipped with the order), the delivery date and the lots it ships in.
 * Credits waiting from earlier orders are applied by the server and shown on the order it opens.
 */
export default function NewOrderPage() {
  const { t, i18n } = useTranslation();
  const lang = useApiLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const staff = useHasRole(oemStaff);
  const products = useQuery(productsQuery);
  const policy = useQuery(currentPolicyQuery);
  const clients = useQuery({ ...oemClientsQuery, enabled: staff });
  const range = policy.data?.oem.spareRateBps ?? { min: 30, max: 50 };
  const [draft, setDraft] = useState<Draft>(() => ({
    clientId: '',
    sku: '',
    orderNumber: '',
    quantity: '',
    spareRate: '0.5',
    deliveryDate: '',
    unitPrice: '',
    currency: 'CNY',
    lots: [newLot()],
  }));
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: createOrder,
    onSuccess: async (order) => {
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
      await navigate(`/oem/orders/${order.id}`, { state: { created: true } });
    },
  });

  const set = (field: keyof Omit<Draft, 'lots'>) => (event: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: event.currentTarget.value });
  };
  const setLot = (index: number, field: keyof Omit<LotDraft, 'key'>, value: string) => {
    setDraft({ ...draft, lots: draft.lots.map((l, i) => (i === index ? { ...l, [field]: value } : l)) });
  };

  const quantity = wholeNumber(draft.quantity);
  const bps = percentToBps(draft.spareRate);
  const rateOk = bps !== undefined && bps >= range.min && bps <= range.max;
  const spares = quantity && rateOk ? Math.ceil((quantity * bps) / 10_000) : undefined;
  const rangeText = t('format.range', {
    min: formatBasisPoints(range.min, t, i18n.language),
    max: formatBasisPoints(range.max, t, i18n.language),
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Errors = {};
    if (staff && !draft.clientId) problems.clientId = t('oem.newOrder.clientRequired');
    if (!draft.sku) problems.sku = t('oem.newOrder.productRequired');
    if (!quantity) problems.quantity = t('oem.newOrder.quantityInvalid');
    if (!rateOk) problems.spareRate = t('oem.newOrder.spareRateInvalid', { range: rangeText });
    if (!draft.deliveryDate) problems.deliveryDate = t('oem.newOrder.deliveryRequired');
    let unitPrice: CreateOrderRequest['unitPrice'];
    if (draft.unitPrice.trim() !== '') {
      const amountMinor = parseAmount(draft.unitPrice, draft.currency);
      if (amountMinor === undefined) problems.unitPrice = t('desk.money.invalid');
      else unitPrice = { amountMinor, currency: draft.currency };
    }
    const several = draft.lots.length > 1;
    const lots: CreateOrderRequest['lots'] = draft.lots.map((l, i) => {
      const units = l.units.trim() === '' ? undefined : wholeNumber(l.units);
      if (l.lot.trim() === '') problems[`lots.${i}.lot`] = t('oem.newOrder.lotRequired');
      if (l.units.trim() !== '' && !units) problems[`lots.${i}.units`] = t('oem.newOrder.quantityInvalid');
      if (several && l.units.trim() === '') problems[`lots.${i}.units`] = t('oem.newOrder.lotUnitsRequired');
      const hasRange = l.first.trim() !== '' || l.last.trim() !== '';
      if (hasRange && (l.first.trim() === '' || l.last.trim() === '')) {
        problems[`lots.${i}.serials`] = t('oem.newOrder.rangeIncomplete');
      }
      return {
        lot: l.lot.trim(),
        units,
        serials: hasRange ? { first: l.first.trim(), last: l.last.trim() } : undefined,
      };
    });
    if (several && quantity && !Object.keys(problems).some((k) => k.startsWith('lots.'))) {
      const sum = lots.reduce((s, l) => s + (l.units ?? 0), 0);
      if (sum !== quantity) problems.lots = t('oem.newOrder.lotsMismatch', { sum, quantity });
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !quantity || bps === undefined) return;
    create.mutate({
      clientId: staff ? draft.clientId : undefined,
      sku: draft.sku,
      orderNumber: draft.orderNumber.trim() || undefined,
      quantity,
      spareRateBps: bps,
      deliveryDate: draft.deliveryDate,
      lots,
      unitPrice,
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
                name="spareRate"
                label={t('oem.fields.spareRatePercent')}
                description={t('oem.newOrder.spareRateHint', { range: rangeText })}
                required
                inputMode="decimal"
                value={draft.spareRate}
                error={errors.spareRate}
                onChange={set('spareRate')}
                autoComplete="off"
              />
              <TextInput
                type="date"
                name="deliveryDate"
                label={t('oem.fields.deliveryDate')}
                required
                value={draft.deliveryDate}
                error={errors.deliveryDate}
                onChange={set('deliveryDate')}
              />
              <TextInput
                name="unitPrice"
                label={t('oem.fields.unitPriceOptional')}
                description={t('oem.newOrder.unitPriceHint')}
                inputMode="decimal"
                value={draft.unitPrice}
                error={errors.unitPrice}
                onChange={set('unitPrice')}
                autoComplete="off"
              />
              <NativeSelect
                name="currency"
                label={t('desk.money.currency')}
                value={draft.currency}
                onChange={set('currency')}
                data={currencies.map((c) => ({ value: c, label: c }))}
              />
            </SimpleGrid>
            <Text size="sm" role="status" className="spares-preview">
              {spares !== undefined && quantity
                ? t('oem.newOrder.sparesPreview', {
                    count: spares,
                    spares: spares.toLocaleString(i18n.language),
                    quantity: quantity.toLocaleString(i18n.language),
                    rate: formatBasisPoints(bps ?? 0, t, i18n.language),
                  })
                : t('oem.newOrder.sparesPending')}
            </Text>

            <Title order={2} size="h4" id="lots-title">
              {t('oem.newOrder.lotsTitle')}
            </Title>
            <Text size="sm" c="dark.6">
              {t('oem.newOrder.lotsHint')}
            </Text>
            {draft.lots.map((l, i) => (
              <Card key={l.key} withBorder padding="sm" component="fieldset" className="lot-fieldset">
                <legend className="lot-legend">{t('oem.newOrder.lotN', { n: i + 1 })}</legend>
                <Group align="flex-start" gap="sm" wrap="wrap">
                  <TextInput
                    name={`lots.${i}.lot`}
                    label={t('oem.fields.lot')}
                    required
                    value={l.lot}
                    error={errors[`lots.${i}.lot`]}
                    onChange={(e) => {
                      setLot(i, 'lot', e.currentTarget.value);
                    }}
                    autoComplete="off"
                    w={200}
                  />
                  <TextInput
                    name={`lots.${i}.units`}
                    label={t('oem.fields.lotUnits')}
                    required={draft.lots.length > 1}
                    inputMode="numeric"
                    value={l.units}
                    error={errors[`lots.${i}.units`]}
                    onChange={(e) => {
                      setLot(i, 'units', e.currentTarget.value);
                    }}
                    autoComplete="off"
                    w={140}
                  />
                  <TextInput
                    name={`lots.${i}.first`}
                    label={t('oem.fields.firstSerial')}
                    value={l.first}
                    error={errors[`lots.${i}.serials`]}
                    onChange={(e) => {
                      setLot(i, 'first', e.currentTarget.value);
                    }}
                    autoComplete="off"
                    w={220}
                  />
                  <TextInput
                    name={`lots.${i}.last`}
                    label={t('oem.fields.lastSerial')}
                    value={l.last}
                    onChange={(e) => {
                      setLot(i, 'last', e.currentTarget.value);
                    }}
                    autoComplete="off"
                    w={220}
                  />
                  {draft.lots.length > 1 && (
                    <ActionIcon
                      variant="default"
                      size="lg"
                      mt={25}
                      aria-label={t('oem.newOrder.removeLot', { n: i + 1 })}
                      onClick={() => {
                        setDraft({ ...draft, lots: draft.lots.filter((_, j) => j !== i) });
                      }}
                    >
                      ×
                    </ActionIcon>
                  )}
                </Group>
              </Card>
            ))}
            {errors.lots && (
              <Text c="red.9" size="sm" role="alert">
                {errors.lots}
              </Text>
            )}
            <Group>
              <Button
                variant="default"
                onClick={() => {
                  setDraft({ ...draft, lots: [...draft.lots, newLot()] });
                }}
              >
                {t('oem.newOrder.addLot')}
              </Button>
            </Group>
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

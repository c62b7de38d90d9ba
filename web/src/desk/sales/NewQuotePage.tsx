import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  lineTotalMinor,
  type QuantityError,
  quantityTenths,
} from '../../../../src/domain/paid-service/quote.js';
import {
  claimQuery,
  claimsQuery,
  createQuote,
  type CreateQuoteRequest,
  quotesListKey,
  quotesQuery,
} from '../desk-api.js';
import { currencies, formatMoney, parseAmount } from '../money.js';
import { ClaimDecision, Day, DeskErrorAlert, Fact, PageHeader, useApiLanguage } from '../ui.js';
import { offersPaidService } from './quote-ui.js';

type LineDraft = {
  key: number;
  kind: 'part' | 'labour';
  description: string;
  quantity: string;
  price: string;
};

let nextKey = 1;
const emptyLine = (kind: LineDraft['kind'] = 'part'): LineDraft => ({
  key: nextKey++,
  kind,
  description: '',
  quantity: '1',
  price: '',
});

type QuoteLineRequest = CreateQuoteRequest['lines'][number];

/**
 * A quantity as typed (1, 1.5, or 1,5) with its tenths, or why it is refused: the same rule as the
 * server's (domain/paid-service/quote.ts), so the form says what is wrong before sending.
 */
function readQuantity(text: string): { quantity: number; tenths: number } | QuantityError {
  const typed = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(typed)) {
    return { code: 'INVALID_QUANTITY', reason: 'not_a_number', message: 'not a number' };
  }
  const quantity = Number(typed);
  const tenths = quantityTenths(quantity);
  return typeof tenths === 'number' ? { quantity, tenths } : tenths;
}

function quantityOf(text: string): number | undefined {
  const read = readQuantity(text);
  return 'quantity' in read ? read.quantity : undefined;
}

/** The lines as the API takes them, or undefined while one is incomplete. */
function linesOf(drafts: readonly LineDraft[], currency: string): QuoteLineRequest[] | undefined {
  const lines: QuoteLineRequest[] = [];
  for (const d of drafts) {
    const quantity = quantityOf(d.quantity);
    const amountMinor = parseAmount(d.price, currency);
    if (quantity === undefined || amountMinor === undefined || d.description.trim() === '') return undefined;
    lines.push({
      kind: d.kind,
      description: d.description.trim(),
      quantity,
      unitPrice: { amountMinor, currency },
    });
  }
  return lines;
}

function ClaimPicker() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const [, setParams] = useSearchParams();
  const claims = useQuery({ ...claimsQuery(lang), select: (all) => all.filter(offersPaidService) });
  if (claims.isPending) return <PageLoader />;
  if (claims.isError) return <LoadError error={claims.error} onRetry={() => void claims.refetch()} />;
  return (
    <NativeSelect
      label={t('desk.quotes.pickClaim')}
      value=""
      onChange={(e) => {
        if (e.currentTarget.value) setParams({ claim: e.currentTarget.value });
      }}
      data={[
        { value: '', label: t('desk.quotes.pickClaimPlaceholder') },
        ...claims.data.map((c) => ({
          value: c.id,
          label: `${c.product.name[lang]} · ${c.serial ?? c.product.sku} · ${c.reportedOn}`,
        })),
      ]}
    />
  );
}

/** Sales prices the paid service of a claim: parts and labour, one currency, the total as it is typed. */
export default function NewQuotePage() {
  const { t, i18n } = useTranslation();
  const lang = useApiLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const claimId = params.get('claim') ?? '';
  const orderId = params.get('order') ?? undefined;
  const claim = useQuery({ ...claimQuery(claimId, lang), enabled: claimId !== '' });
  const [currency, setCurrency] = useState<string>('CNY');
  const [lines, setLines] = useState<LineDraft[]>(() => [emptyLine('part'), emptyLine('labour')]);
  const [tried, setTried] = useState(false);
  const create = useMutation({
    mutationFn: (body: { lines: QuoteLineRequest[] }) =>
      createQuote(claimId, orderId ? { ...body, maintenanceOrderId: orderId } : body),
    onSuccess: async (quote) => {
      await queryClient.invalidateQueries({ queryKey: quotesQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: quotesListKey });
      void navigate(`/desk/sales/quotes/${quote.id}`);
    },
  });

  const parsed = linesOf(lines, currency);
  // Each line rounded half up to the minor unit, then added: the total the server will keep.
  const total = parsed?.reduce((sum, l) => {
    const tenths = quantityTenths(l.quantity);
    const line =
      typeof tenths === 'number' ? lineTotalMinor({ quantityTenths: tenths, unitPrice: l.unitPrice }) : 0;
    return sum + (typeof line === 'number' ? line : 0);
  }, 0);
  const update = (key: number, change: Partial<LineDraft>) => {
    setLines(lines.map((l) => (l.key === key ? { ...l, ...change } : l)));
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (parsed && parsed.length > 0) create.mutate({ lines: parsed });
  };

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/desk/sales/paid-service" size="sm">
        ← {t('desk.paid.back')}
      </Anchor>
      <PageHeader title={t('desk.quotes.newTitle')} intro={t('desk.quotes.newIntro')} />
      {claimId === '' ? (
        <ClaimPicker />
      ) : claim.isPending ? (
        <PageLoader />
      ) : claim.isError ? (
        <LoadError error={claim.error} onRetry={() => void claim.refetch()} />
      ) : (
        <>
          <Card withBorder padding="lg" component="section" aria-labelledby="quote-claim-title">
            <Title order={2} size="h4" id="quote-claim-title" mb="sm">
              {t('desk.quotes.forClaim', { product: claim.data.product.name[lang] })}
            </Title>
            <Group gap="xl" mb="sm">
              <Fact label={t('desk.fields.serial')}>{claim.data.serial ?? claim.data.product.sku}</Fact>
              <Fact label={t('desk.fields.reportedOn')}>
                <Day date={claim.data.reportedOn} />
              </Fact>
              <Fact label={t('desk.fields.cause')}>{t(`desk.cause.${claim.data.cause}`)}</Fact>
            </Group>
            <Text size="sm" mb="sm">
              {claim.data.description}
            </Text>
            <ClaimDecision claim={claim.data} />
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="quote-lines-title">
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                <Group justify="space-between" align="flex-end">
                  <Title order={2} size="h4" id="quote-lines-title">
                    {t('desk.quotes.lines')}
                  </Title>
                  <NativeSelect
                    label={t('desk.money.currency')}
                    value={currency}
                    onChange={(e) => {
                      setCurrency(e.currentTarget.value);
                    }}
                    data={[...currencies]}
                  />
                </Group>
                {create.isError && <DeskErrorAlert error={create.error} />}
                {lines.map((line, index) => {
                  const n = index + 1;
                  const bad = (ok: boolean) => (tried && !ok ? t('desk.quotes.lineInvalid') : undefined);
                  // Said as soon as it is typed: 0, -1, 1.55 or too many each get their own words.
                  const quantityProblem = (text: string) => {
                    if (text.trim() === '') return bad(false);
                    const read = readQuantity(text);
                    return 'reason' in read ? t(`desk.quotes.quantityInvalid.${read.reason}`) : undefined;
                  };
                  return (
                    <fieldset key={line.key} className="plain-fieldset">
                      <legend className="visually-hidden">{t('desk.quotes.line', { n })}</legend>
                      <Group gap="sm" align="flex-start" wrap="wrap">
                        <NativeSelect
                          label={t('desk.quotes.kind')}
                          aria-label={t('desk.quotes.kindN', { n })}
                          value={line.kind}
                          onChange={(e) => {
                            update(line.key, {
                              kind: e.currentTarget.value === 'labour' ? 'labour' : 'part',
                            });
                          }}
                          data={[
                            { value: 'part', label: t('desk.quotes.part') },
                            { value: 'labour', label: t('desk.quotes.labour') },
                          ]}
                          w={120}
                        />
                        <TextInput
                          label={t('desk.quotes.description')}
                          aria-label={t('desk.quotes.descriptionN', { n })}
                          value={line.description}
                          error={bad(line.description.trim() !== '')}
                          onChange={(e) => {
                            update(line.key, { description: e.currentTarget.value });
                          }}
                          style={{ flex: 1, minWidth: 200 }}
                        />
                        <TextInput
                          label={t('desk.quotes.quantity')}
                          aria-label={t('desk.quotes.quantityN', { n })}
                          inputMode="decimal"
                          value={line.quantity}
                          error={quantityProblem(line.quantity)}
                          onChange={(e) => {
                            update(line.key, { quantity: e.currentTarget.value });
                          }}
                          w={110}
                        />
                        <TextInput
                          label={t('desk.quotes.unitPrice')}
                          aria-label={t('desk.quotes.unitPriceN', { n })}
                          inputMode="decimal"
                          value={line.price}
                          error={bad(parseAmount(line.price, currency) !== undefined)}
                          onChange={(e) => {
                            update(line.key, { price: e.currentTarget.value });
                          }}
                          w={130}
                        />
                        <ActionIcon
                          variant="default"
                          size="lg"
                          mt={25}
                          disabled={lines.length === 1}
                          aria-label={t('desk.quotes.removeN', { n })}
                          onClick={() => {
                            setLines(lines.filter((l) => l.key !== line.key));
                          }}
                        >
                          <span aria-hidden="true">×</span>
                        </ActionIcon>
                      </Group>
                    </fieldset>
                  );
                })}
                <Group>
                  <Button
                    variant="default"
                    size="sm"
                    onClick={() => {
                      setLines([...lines, emptyLine()]);
                    }}
                  >
                    {t('desk.quotes.addLine')}
                  </Button>
                </Group>
                <Group justify="space-between" align="center">
                  <Text size="lg" fw={700} role="status" aria-live="polite">
                    {t('desk.quotes.total')}:{' '}
                    {total === undefined ? '—' : formatMoney({ amountMinor: total, currency }, i18n.language)}
                  </Text>
                  <Button
                    type="submit"
                    loading={create.isPending}
                    loaderProps={{ 'aria-label': t('common.working') }}
                  >
                    {t('desk.quotes.saveDraft')}
                  </Button>
                </Group>
                {tried && !parsed && (
                  <Text c="red.9" size="sm" role="alert">
                    {t('desk.quotes.fixLines')}
                  </Text>
                )}
              </Stack>
            </form>
          </Card>
        </>
      )}
    </Stack>
  );
}

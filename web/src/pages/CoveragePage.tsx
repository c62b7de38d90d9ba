import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { storeToday } from '../format.js';
import type { Language } from '../../../src/domain/policy/schema.js';
import {
  ApiError,
  type Cause,
  type EvaluateRequest,
  type EvaluateResponse,
  evaluateEntitlement,
  type Product,
} from '../api.js';
import { CostBadge, PerformerBadge } from '../components/Badges.js';
import { policyLanguage } from '../i18n/index.js';
import { productsQuery } from '../queries.js';

/** Today in the store's calendar (format.ts), as the date input wants it. */
const today = () => storeToday();

function productOptions(products: readonly Product[], lang: Language, t: TFunction) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const p of products) {
    const items = groups.get(p.category) ?? [];
    items.push({ value: p.sku, label: p.name[lang] });
    groups.set(p.category, items);
  }
  return [
    { value: '', label: t('coverage.productNone') },
    ...[...groups].map(([category, items]) => ({
      group: t(`category.${category}`, { defaultValue: category }),
      items,
    })),
  ];
}

function CoverageForm({ onSubmit, busy }: { onSubmit: (request: EvaluateRequest) => void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const products = useQuery(productsQuery);
  const [purchaseDate, setPurchaseDate] = useState('');
  const [reportDate, setReportDate] = useState(today);
  const [cause, setCause] = useState<Cause>('quality');
  const [productSku, setProductSku] = useState('');

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit({
      customerType: 'end_user',
      purchaseDate,
      reportDate,
      cause,
      ...(productSku ? { productSku } : {}),
    });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="form-title">
      <Title order={2} size="h3" id="form-title" mb="md">
        {t('coverage.formTitle')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            type="date"
            name="purchaseDate"
            label={t('coverage.purchaseDate')}
            description={t('coverage.purchaseDateHint')}
            required
            // A purchase cannot be after today: the picker offers no later day (the store's calendar).
            max={today()}
            value={purchaseDate}
            onChange={(e) => {
              setPurchaseDate(e.currentTarget.value);
            }}
          />
          <TextInput
            type="date"
            name="reportDate"
            label={t('coverage.reportDate')}
            description={t('coverage.reportDateHint')}
            required
            value={reportDate}
            onChange={(e) => {
              setReportDate(e.currentTarget.value);
            }}
          />
          <Radio.Group
            name="cause"
            label={t('coverage.cause')}
            required
            value={cause}
            onChange={(value) => {
              setCause(value === 'human_damage' ? 'human_damage' : 'quality');
            }}
          >
            <Stack gap="sm" mt="xs">
              <Radio
                value="quality"
                label={t('coverage.causeQuality')}
                description={t('coverage.causeQualityHint')}
              />
              <Radio
                value="human_damage"
                label={t('coverage.causeHumanDamage')}
                description={t('coverage.causeHumanDamageHint')}
              />
            </Stack>
          </Radio.Group>
          <NativeSelect
            name="productSku"
            label={t('coverage.product')}
            description={t('coverage.productHint')}
            value={productSku}
            onChange={(e) => {
              setProductSku(e.currentTarget.value);
            }}
            data={productOptions(products.data ?? [], lang, t)}
          />
          <Button
            type="submit"
            size="md"
            loading={busy}
            loaderProps={{ 'aria-label': t('coverage.checking') }}
          >
            {t('coverage.submit')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

function ErrorAlert({ error }: { error: Error }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : undefined;
  // In the reader's words: the API's code picks the sentence, and neither the code nor the API's
  // English message is shown (a reader of Chinese would get English; anyone would get a code).
  const known = code !== undefined && t(`coverage.error.${code}`, { defaultValue: '' });
  return (
    <Alert color="red" variant="light" role="alert" title={t('coverage.error.title')}>
      <Text size="sm">{known || t('coverage.error.unknown')}</Text>
    </Alert>
  );
}

function Answer({ decision, cause }: { decision: EvaluateResponse; cause: Cause }) {
  const { t } = useTranslation();
  const mixedCost = new Set(decision.remedies.map((r) => r.costBearer)).size > 1;
  const explain =
    cause === 'human_damage'
      ? 'coverage.result.misuseExplain'
      : decision.paid
        ? 'coverage.result.paidExplain'
        : 'coverage.result.freeExplain';
  return (
    <Card
      component="section"
      aria-labelledby="answer-label"
      withBorder
      padding="lg"
      className={decision.paid ? 'answer answer-paid' : 'answer answer-free'}
    >
      <Text size="sm" fw={700} c="blue.8" id="answer-label">
        {t('coverage.result.heading')}
      </Text>
      <Title order={2} id="answer-title">
        {t(`window.${decision.window}`)}
      </Title>
      <Group gap="sm" mt="sm">
        <Badge
          size="lg"
          variant="filled"
          color={decision.paid ? 'red.9' : 'teal.9'}
          radius="sm"
          className="badge-readable"
        >
          {decision.paid ? t('coverage.result.paid') : t('coverage.result.free')}
        </Badge>
        <Text fw={600}>{t('coverage.result.daysSincePurchase', { count: decision.daysSincePurchase })}</Text>
      </Group>
      <Text mt="sm">{t(explain)}</Text>

      <Title order={3} size="h4" mt="lg" mb="xs">
        {t('coverage.result.options')}
      </Title>
      <Box component="ul" className="remedy-list">
        {decision.remedies.map((remedy) => (
          <Box component="li" key={`${remedy.code}-${remedy.clause}`} className="remedy">
            <Group justify="space-between" align="flex-start" gap="xs">
              <Text fw={700}>{t(`remedy.${remedy.code}`)}</Text>
              <Group gap={6}>
                <PerformerBadge performer={remedy.performedBy} />
                {mixedCost && <CostBadge costBearer={remedy.costBearer} />}
              </Group>
            </Group>
            <Text component="blockquote" className="clause-quote" mt={6}>
              {remedy.clause}
            </Text>
          </Box>
        ))}
      </Box>
      <Text size="xs" c="dimmed" mt="md">
        {t('coverage.result.policyVersion', { version: decision.policyVersion })}
      </Text>
    </Card>
  );
}

/** "Am I covered?": asks the API, in the reader's language, what the policy gives for these facts. */
export function CoveragePage() {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const [submitted, setSubmitted] = useState<EvaluateRequest | null>(null);
  const [submissions, setSubmissions] = useState(0);
  const scrollPending = useRef(false);
  const resultRef = useRef<HTMLDivElement>(null);
  // Keyed by language too: switching language asks again, so the clauses are quoted in the new one.
  const answer = useQuery({
    queryKey: ['entitlement', submitted, lang],
    queryFn: submitted ? () => evaluateEntitlement(submitted, lang) : skipToken,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });

  // On a narrow screen the answer is below the form: bring it into view once it has arrived.
  useEffect(() => {
    if (!scrollPending.current || answer.isFetching) return;
    scrollPending.current = false;
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    resultRef.current?.scrollIntoView({ block: 'nearest', behavior: reduceMotion ? 'auto' : 'smooth' });
  }, [answer.isFetching, submissions]);

  const submit = (request: EvaluateRequest) => {
    scrollPending.current = true;
    setSubmitted(request);
    setSubmissions((n) => n + 1);
  };

  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>{t('coverage.title')}</Title>
        <Text size="lg" mt="xs" maw={760}>
          {t('coverage.intro')}
        </Text>
        <Anchor component={Link} to="/support" mt="xs" display="inline-block">
          {t('coverage.seePolicy')}
        </Anchor>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CoverageForm onSubmit={submit} busy={answer.isFetching} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Box aria-live="polite" ref={resultRef} style={{ scrollMarginTop: 16 }}>
            {answer.isError ? (
              <ErrorAlert error={answer.error} />
            ) : answer.data && submitted ? (
              <Answer decision={answer.data} cause={submitted.cause} />
            ) : (
              <Card padding="lg" className="answer-placeholder">
                <Text>{t('coverage.placeholder')}</Text>
              </Card>
            )}
          </Box>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

import { Alert, Box, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EndUserWindow, Language, PolicyVersion } from '../../../src/domain/policy/schema.js';
import { CostBadge } from '../components/Badges.js';
import { RemedyList } from '../components/RemedyList.js';
import { formatBasisPointRange, formatLength } from '../format.js';
import { policyLanguage } from '../i18n/index.js';
import { currentPolicyQuery } from '../queries.js';

type Rule = PolicyVersion['endUser']['outOfWarranty'];

function WindowCard({
  window,
  lang,
  commitmentDays,
}: {
  window: EndUserWindow;
  lang: Language;
  commitmentDays: number;
}) {
  const { t } = useTranslation();
  const titleId = `window-${window.code}`;
  const free = window.remedies.every((r) => r.costBearer === 'maker');
  const byServiceCenter = window.remedies.some(
    (r) => r.code === 'maintenance_order' || r.code === 'mail_in_repair',
  );
  return (
    <Card component="article" withBorder padding="lg" aria-labelledby={titleId} className="window-card">
      <Group justify="space-between" align="flex-start" gap="xs">
        <div>
          <Text size="sm" fw={700} c="blue.8">
            {window.heading.label[lang]}
          </Text>
          <Title order={3} id={titleId}>
            {t(`window.${window.code}`)}
          </Title>
        </div>
        <CostBadge costBearer={free ? 'maker' : 'customer'} />
      </Group>
      <Text mt="xs" mb="sm">
        {window.heading.text[lang]}
      </Text>
      <RemedyList remedies={window.remedies} lang={lang} />
      {byServiceCenter && (
        <Text size="sm" c="dimmed" mt="sm">
          {t('support.serviceCommitment', { count: commitmentDays })}
        </Text>
      )}
    </Card>
  );
}

function PaidRuleCard({ rule, lang, id }: { rule: Rule; lang: Language; id: string }) {
  return (
    <Card component="article" withBorder padding="lg" aria-labelledby={id} className="paid-card">
      <Text size="sm" fw={700} c="red.9">
        {rule.heading.label[lang]}
      </Text>
      <Title order={4} id={id} mb="sm">
        {rule.heading.text[lang]}
      </Title>
      <RemedyList remedies={rule.remedies} lang={lang} />
    </Card>
  );
}

function CoverageCallToAction() {
  const { t } = useTranslation();
  return (
    <Card
      component="section"
      aria-labelledby="cta-title"
      padding="xl"
      className="cta"
      bg="blue.8"
      c="white"
      radius="lg"
    >
      <Group justify="space-between" align="center" gap="lg">
        <div>
          <Title order={2} id="cta-title" c="white">
            {t('support.cta.title')}
          </Title>
          <Text mt={4} c="white">
            {t('support.cta.body')}
          </Text>
        </div>
        <Button component={Link} to="/coverage" size="md" variant="white" color="blue.9">
          {t('support.cta.action')}
        </Button>
      </Group>
    </Card>
  );
}

function OemSection({ policy, lang }: { policy: PolicyVersion; lang: Language }) {
  const { t, i18n } = useTranslation();
  const { oem } = policy;
  const range = formatBasisPointRange(oem.spareRateBps, t, i18n.language);
  const list = t('format.list');
  return (
    <Box component="section" aria-labelledby="oem-title">
      <Title order={2} id="oem-title" mb="md">
        {oem.heading[lang]}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Card component="article" withBorder padding="lg" aria-labelledby="oem-spares">
          <Text size="sm" fw={700} c="blue.8">
            {oem.spares.label[lang]}
          </Text>
          <Title order={3} id="oem-spares">
            {t('support.oem.spareAllowance')}
          </Title>
          <Text className="stat" mt="xs">
            {range}
          </Text>
          <Text size="sm" c="dimmed" mb="sm">
            {t('support.oem.spareRate')}
          </Text>
          <Text>{oem.spares.text[lang]}</Text>
        </Card>
        <Card component="article" withBorder padding="lg" aria-labelledby="oem-excess">
          <Text size="sm" fw={700} c="blue.8">
            {oem.excess.label[lang]}
          </Text>
          <Title order={3} id="oem-excess">
            {t('support.oem.excessRemedies')}
          </Title>
          <Text mt="xs">{oem.excess.text[lang]}</Text>
          <Box component="ul" className="plain-list" mt="sm">
            {oem.excessRemedies.map((r) => (
              <Box component="li" key={r.code}>
                <Text fw={600}>{r.name[lang]}</Text>
              </Box>
            ))}
          </Box>
          <Text size="sm" c="dimmed" mt="sm">
            {t('support.oem.defectWindow')}: {formatLength(oem.defectWindow, t)}
          </Text>
        </Card>
        <Card component="article" withBorder padding="lg" aria-labelledby="oem-batch">
          <Text size="sm" fw={700} c="blue.8">
            {oem.batchDefect.clause.label[lang]}
          </Text>
          <Title order={3} id="oem-batch">
            {t('support.oem.batchDefect')}
          </Title>
          <Text mt="xs">{oem.batchDefect.clause.text[lang]}</Text>
          <Box component="dl" className="facts" mt="sm">
            <dt>{t('support.oem.coveredCauses')}</dt>
            <dd>{oem.batchDefect.coveredRootCauses.map((c) => t(`rootCause.${c}`)).join(list)}</dd>
            <dt>{t('support.oem.shipping')}</dt>
            <dd>{t(`shipping.${oem.batchDefect.shipping}`)}</dd>
            <dt>{t('support.oem.cost')}</dt>
            <dd>{t('support.oem.makerPays')}</dd>
          </Box>
        </Card>
      </SimpleGrid>
    </Box>
  );
}

/** The public support page: every word of the policy comes from the API's current version. */
export function SupportPage() {
  const { t, i18n } = useTranslation();
  const policy = useQuery(currentPolicyQuery);
  const lang = policyLanguage(i18n.language);

  if (policy.isPending) {
    return (
      <Group justify="center" py="xl">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  }
  if (policy.isError) {
    return (
      <Alert color="red" variant="light" title={t('support.loadError')} role="alert">
        <Text size="sm">{policy.error.message}</Text>
        <Button
          mt="sm"
          size="xs"
          variant="default"
          onClick={() => {
            void policy.refetch();
          }}
        >
          {t('common.retry')}
        </Button>
      </Alert>
    );
  }

  const p = policy.data;
  const { endUser } = p;
  return (
    <Stack gap={48}>
      <Stack gap="lg">
        <div>
          <Title order={1}>{p.title[lang]}</Title>
          <Text size="lg" mt="xs" maw={760}>
            {p.intro[lang]}
          </Text>
        </div>
        <CoverageCallToAction />
      </Stack>

      <Box component="section" aria-labelledby="customers-title">
        <Title order={2} id="customers-title">
          {endUser.heading[lang]}
        </Title>
        <Text mt={4} mb="md">
          {endUser.intro[lang]}
        </Text>
        <Stack gap="md">
          {endUser.windows.map((w) => (
            <WindowCard key={w.code} window={w} lang={lang} commitmentDays={p.serviceCommitmentDays} />
          ))}
        </Stack>
        <Group mt="xl" mb="sm" gap="sm">
          <Title order={3}>{t('support.whenNotCovered')}</Title>
          <CostBadge costBearer="customer" />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <PaidRuleCard rule={endUser.outOfWarranty} lang={lang} id="rule-out-of-warranty" />
          <PaidRuleCard rule={endUser.humanDamage} lang={lang} id="rule-human-damage" />
        </SimpleGrid>
      </Box>

      <OemSection policy={p} lang={lang} />
    </Stack>
  );
}

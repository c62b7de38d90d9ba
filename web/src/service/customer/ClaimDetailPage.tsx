import { Alert, Anchor, Box, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { MaintenanceMode } from '../../../../src/domain/maintenance/state-machine.js';
import type { RemedyCode } from '../../../../src/domain/policy/schema.js';
import { CostBadge, PerformerBadge } from '../../components/Badges.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { ChangeError, DateText, Facts, isStale, Section, useLanguages } from '../common.js';
import {
  chooseRemedy,
  type Claim,
  claimQuery,
  claimQuotesQuery,
  maintenanceOrderQuery,
  maintenanceOrdersQuery,
} from '../service-api.js';
import { dealerName } from '../../parties.js';
import { IssueOrderForm } from './IssueOrderForm.js';
import { ClaimStatusBadge } from './MyClaimsPage.js';
import { OrderPanel } from './OrderPanel.js';
import { ClaimConversation } from '../ClaimConversation.js';
import { QuotesPanel } from './QuotesPanel.js';
import { ClaimReviewNotice, ClaimVerificationNotice } from './VerificationNotice.js';

/** The two remedies that are a maintenance order, and how the product reaches the center for each. */
const modeOfRemedy: Partial<Record<RemedyCode, MaintenanceMode>> = {
  maintenance_order: 'walk_in',
  mail_in_repair: 'mail_in',
};

type Remedy = Claim['decision']['remedies'][number];

function ChooseDialog({ claim, remedy, onClose }: { claim: Claim; remedy: Remedy; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const queryClient = useQueryClient();
  const choose = useMutation({
    mutationFn: () => chooseRemedy(claim.id, { remedy: remedy.code, expectedVersion: claim.version }, lang),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['service'] });
      onClose();
    },
    onError: async (error) => {
      if (isStale(error)) await queryClient.invalidateQueries({ queryKey: ['service', 'claims'] });
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('service.claim.confirmTitle', { remedy: t(`remedy.${remedy.code}`) })}
      centered
    >
      <Stack gap="md">
        {choose.isError && <ChangeError error={choose.error} object="claim" />}
        <Text>{t(`service.claim.confirmBody.${remedy.performedBy}`)}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={choose.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
            onClick={() => {
              choose.mutate();
            }}
          >
            {t('service.claim.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The decision: each remedy the policy offers, its clause in the reader's language, and a way to choose. */
function DecisionSection({ claim, onChoose }: { claim: Claim; onChoose: ((remedy: Remedy) => void) | null }) {
  const { t } = useTranslation();
  const d = claim.decision;
  return (
    <Section
      id="decision-title"
      title={t('service.claim.decision')}
      className={d.paid ? 'answer-paid' : 'answer-free'}
    >
      <Facts
        items={[
          [t('service.claim.window'), t(`window.${d.window}`)],
          [t('service.claim.daysSincePurchase'), t('service.claim.days', { count: d.daysSincePurchase })],
          [t('service.claim.warrantyEnds'), <DateText key="w" date={d.warrantyEndsOn} />],
          [t('service.claim.cost'), d.paid ? t('coverage.result.paid') : t('coverage.result.free')],
        ]}
      />
      <Title order={3} size="h4" mt="xs">
        {onChoose ? t('service.claim.chooseOne') : t('service.claim.offered')}
      </Title>
      <Box component="ul" className="remedy-list">
        {d.remedies.map((remedy) => {
          const chosen = claim.chosenRemedy === remedy.code;
          return (
            <Box component="li" key={remedy.code} className="remedy">
              <Group justify="space-between" align="flex-start" gap="xs">
                <Text fw={700}>
                  {t(`remedy.${remedy.code}`)}
                  {chosen && (
                    <Text span c="teal.9" fw={600} size="sm" ml={8}>
                      {t('service.claim.yourChoice')}
                    </Text>
                  )}
                </Text>
                <Group gap={6}>
                  <PerformerBadge performer={remedy.performedBy} />
                  <CostBadge costBearer={remedy.costBearer} />
                </Group>
              </Group>
              <blockquote className="clause-quote">
                <Text mt={4}>{remedy.clause}</Text>
              </blockquote>
              {onChoose && (
                <Button
                  mt="xs"
                  size="compact-sm"
                  aria-label={t('service.claim.chooseNamed', { remedy: t(`remedy.${remedy.code}`) })}
                  onClick={() => {
                    onChoose(remedy);
                  }}
                >
                  {t('service.claim.choose')}
                </Button>
              )}
            </Box>
          );
        })}
      </Box>
      <Text size="sm" c="dimmed">
        {t('coverage.result.policyVersion', { version: d.policyVersion })}
      </Text>
    </Section>
  );
}

/** After a dealer's or sales' remedy was chosen: whom to go to and what to bring. */
function NextAtDealer({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const remedy = claim.decision.remedies.find((r) => r.code === claim.chosenRemedy);
  if (!remedy || !claim.chosenRemedy || modeOfRemedy[claim.chosenRemedy]) return null;
  return (
    <Alert color="blue" variant="light" title={t('service.claim.nextTitle')} role="status">
      <Stack gap={4}>
        <Text>{t(`service.claim.next.${claim.chosenRemedy}`)}</Text>
        {remedy.performedBy === 'dealer' && claim.dealer && (
          <Text>
            {t('service.claim.yourDealer', { name: dealerName(claim.dealer, lang) })}
            {claim.dealer.phone && (
              <>
                {' · '}
                <Anchor
                  c="inherit"
                  underline="always"
                  fw={600}
                  href={`tel:${claim.dealer.phone.replace(/\s+/g, '')}`}
                >
                  {claim.dealer.phone}
                </Anchor>
              </>
            )}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

export function ClaimDetailPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { id = '' } = useParams();
  // The claim, its orders and its quotes are asked for at once, not one after another.
  const claim = useQuery(claimQuery(id, lang));
  const orders = useQuery(maintenanceOrdersQuery);
  const quotes = useQuery(claimQuotesQuery(id));
  const order = (orders.data ?? [])
    .filter((o) => o.claimId === id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  // The timeline comes with the order's own page of the API.
  const detail = useQuery({ ...maintenanceOrderQuery(order?.id ?? ''), enabled: order !== undefined });
  const [choosing, setChoosing] = useState<Remedy | null>(null);
  const [issuing, setIssuing] = useState<MaintenanceMode | null>(null);

  if (claim.isPending) return <PageLoader />;
  if (claim.isError) return <LoadError error={claim.error} onRetry={() => void claim.refetch()} />;
  const c = claim.data;
  const offeredModes = c.decision.remedies.flatMap((r) => {
    const mode = modeOfRemedy[r.code];
    return mode ? [mode] : [];
  });
  const open = c.status === 'open';
  const chosenMode = c.chosenRemedy ? modeOfRemedy[c.chosenRemedy] : undefined;
  // Issuing the order is itself the choice of that remedy; after a choice made elsewhere it is still due.
  const showIssue =
    !order && !orders.isPending && offeredModes.length > 0 && (issuing !== null || chosenMode !== undefined);

  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/my-claims" size="sm">
          {t('service.claims.back')}
        </Anchor>
        <Group justify="space-between" align="flex-end" mt="xs">
          <Title order={1}>{c.product.name[lang]}</Title>
          <ClaimStatusBadge status={c.status} />
        </Group>
      </div>
      <Section id="claim-title" title={t('service.claim.yourReport')}>
        <Facts
          items={[
            [t('service.fields.reportedOn'), <DateText key="r" date={c.reportedOn} />],
            ...(c.serial ? [[t('service.fields.serial'), c.serial] as [string, string]] : []),
            [t('service.fields.cause'), t(`service.cause.${c.cause}`)],
            [t('service.report.description'), c.description],
            [t('service.fields.dealer'), c.dealer ? dealerName(c.dealer, lang) : '—'],
          ]}
        />
      </Section>
      <ClaimVerificationNotice claim={c} />
      <ClaimReviewNotice claim={c} />
      <NextAtDealer claim={c} />
      {order && <OrderPanel order={detail.data ?? order} />}
      {orders.isError && <LoadError error={orders.error} onRetry={() => void orders.refetch()} />}
      {quotes.data && <QuotesPanel quotes={quotes.data} />}
      <ClaimConversation claimId={id} reader="customer" />
      <DecisionSection
        claim={c}
        onChoose={
          open && !showIssue
            ? (remedy) => {
                const mode = modeOfRemedy[remedy.code];
                if (mode) setIssuing(mode);
                else setChoosing(remedy);
              }
            : null
        }
      />
      {showIssue && (
        <IssueOrderForm
          claim={c}
          modes={chosenMode ? [chosenMode] : offeredModes}
          initial={chosenMode ?? issuing ?? undefined}
          onCancel={
            chosenMode
              ? undefined
              : () => {
                  setIssuing(null);
                }
          }
        />
      )}
      {choosing && (
        <ChooseDialog
          claim={c}
          remedy={choosing}
          onClose={() => {
            setChoosing(null);
          }}
        />
      )}
    </Stack>
  );
}

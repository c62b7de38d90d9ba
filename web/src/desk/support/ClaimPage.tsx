import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { LoadError, PageLoader } from '../../components/Status.js';
import { dealerName } from '../../parties.js';
import { claimQuery } from '../desk-api.js';
import { ClaimDecision, ClaimStatusBadge, Day, Fact, useApiLanguage } from '../ui.js';
import { MessageTable } from './messages-ui.js';
import { CustomerContextPanel } from '../../work/CustomerContextPanel.js';
import { ClaimConversation } from '../../service/ClaimConversation.js';
import { OwnerPanel } from '../../work/OwnerPanel.js';

/** One claim: what was reported, on which sale, and what the policy decided, clause by clause. */
export default function ClaimPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { id = '' } = useParams();
  const claim = useQuery(claimQuery(id, lang));
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/desk/support/claims" size="sm">
        ← {t('desk.claims.back')}
      </Anchor>
      {claim.isPending ? (
        <PageLoader />
      ) : claim.isError ? (
        <LoadError error={claim.error} onRetry={() => void claim.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>
                {t('desk.claims.detailTitle', { product: claim.data.product.name[lang] })}
              </Title>
              <Text mt="xs" c="dark.6">
                {claim.data.serial ?? claim.data.product.sku}
              </Text>
            </div>
            <ClaimStatusBadge status={claim.data.status} />
          </Group>
          <OwnerPanel kind="claim" id={claim.data.id} owner={claim.data.owner} />
          <Card withBorder padding="lg" component="section" aria-labelledby="claim-facts">
            <Title order={2} size="h4" id="claim-facts" mb="sm">
              {t('desk.claims.reported')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" mb="md">
              <Fact label={t('desk.fields.reportedOn')}>
                <Day date={claim.data.reportedOn} />
              </Fact>
              <Fact label={t('desk.fields.cause')}>{t(`desk.cause.${claim.data.cause}`)}</Fact>
              <Fact label={t('desk.fields.dealer')}>
                {claim.data.dealer ? dealerName(claim.data.dealer, lang) : '—'}
              </Fact>
              <Fact label={t('desk.fields.chosen')}>
                {claim.data.chosenRemedy ? t(`remedy.${claim.data.chosenRemedy}`) : '—'}
              </Fact>
              <Fact label={t('desk.fields.dealerPhone')}>{claim.data.dealer?.phone ?? '—'}</Fact>
            </SimpleGrid>
            <Fact label={t('desk.fields.description')}>{claim.data.description}</Fact>
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="claim-decision">
            <Title order={2} size="h4" id="claim-decision" mb="sm">
              {t('desk.claims.decision')}
            </Title>
            <ClaimDecision claim={claim.data} />
          </Card>
          <ClaimConversation claimId={claim.data.id} reader="staff" />
          <CustomerContextPanel kind="claim" id={claim.data.id} claimId={claim.data.id} />
          <Card withBorder padding="lg" component="section" aria-labelledby="claim-messages">
            <Title order={2} size="h4" id="claim-messages" mb="sm">
              {t('desk.messages.claimTitle')}
            </Title>
            <MessageTable params={{ claimId: claim.data.id }} label={t('desk.messages.claimTitle')} />
          </Card>
        </>
      )}
    </Stack>
  );
}

import { Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ClaimConversation } from './ClaimConversation.js';
import { conversationQuery } from './conversation-api.js';

/**
 * A claim's conversation on its own page, for the dealer of the sale and for sales (who have no claim or
 * order page of their own): opened from their queue of conversations waiting for an answer.
 */
export default function ClaimConversationPage({ queue }: { queue: string }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const conversation = useQuery(conversationQuery(id));
  const subject = conversation.data?.maintenanceNumber ?? t('service.conversation.claimSubject');
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={queue} size="sm">
        {t('service.conversation.backToQueue')}
      </Anchor>
      <Title order={1}>{t('service.conversation.pageTitle', { subject })}</Title>
      <ClaimConversation claimId={id} reader="staff" />
    </Stack>
  );
}

import { Alert, Anchor, Button, Card, Grid, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConversationPanel } from '../ConversationPanel.js';
import { guestConversationQuery, openGuestFile, postGuestMessage } from '../conversation-api.js';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api.js';
import { GuestReturnLabelButton } from '../../components/Documents.js';
import { ApiErrorAlert, PageLoader } from '../../components/Status.js';
import {
  CommitmentBadge,
  DateText,
  Facts,
  OrderStateBadge,
  PageHeading,
  Section,
  ServiceCenterFacts,
  Timeline,
  useLanguages,
} from '../common.js';
import { type ClaimTrackingResponse, trackByLink, trackByNumber } from '../service-api.js';

/**
 * Where a claim and its repair stand, as a guest sees them. With the tracking link's token, a mail-in
 * order's return label can be printed too.
 */
export function TrackingView({ tracking, token }: { tracking: ClaimTrackingResponse; token?: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { claim, maintenanceOrder: order } = tracking;
  return (
    <Stack gap="lg">
      <Section id="track-claim" title={t('service.track.claim')}>
        <Facts
          items={[
            [t('service.fields.product'), claim.product.name[lang]],
            [t('service.fields.reportedOn'), <DateText key="r" date={claim.reportedOn} />],
            [t('service.claim.window'), t(`window.${claim.window}`)],
            [t('service.claim.cost'), claim.paid ? t('coverage.result.paid') : t('coverage.result.free')],
            [
              t('service.fields.chosenRemedy'),
              claim.chosenRemedy
                ? t(`remedy.${claim.chosenRemedy}`)
                : t('service.track.offered', {
                    remedies: claim.remedies.map((r) => t(`remedy.${r}`)).join(t('format.list')),
                  }),
            ],
          ]}
        />
      </Section>
      {order ? (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Section id="track-order" title={t('service.order.title')}>
              <Group justify="space-between" align="flex-start">
                <div>
                  <Text size="sm" c="dimmed">
                    {t('service.fields.maintenanceNumber')}
                  </Text>
                  <Text className="maintenance-number">{order.maintenanceNumber}</Text>
                </div>
                <OrderStateBadge state={order.state} />
              </Group>
              <Facts
                items={[
                  [t('service.fields.mode'), t(`service.modeShort.${order.mode}`)],
                  [t('service.fields.receivedOn'), <DateText key="r" date={order.receivedOn} />],
                  [
                    t('service.fields.commitment'),
                    order.commitment.dueOn ? (
                      <Group key="c" gap="xs">
                        <span>
                          {t('service.order.dueBy')} <DateText date={order.commitment.dueOn} />
                        </span>
                        <CommitmentBadge status={order.commitment.status} />
                      </Group>
                    ) : (
                      t('service.order.commitmentStartsOnReceipt')
                    ),
                  ],
                  [t('service.fields.returnTracking'), order.returnTracking ?? '—'],
                ]}
              />
              {token && order.mode === 'mail_in' && (
                <Stack gap="xs" align="flex-start">
                  <GuestReturnLabelButton token={token} />
                  <Text size="sm">{t('documents.returnLabelHint')}</Text>
                </Stack>
              )}
            </Section>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="lg">
              <Section id="track-center" title={t('service.center.title')}>
                <ServiceCenterFacts center={order.serviceCenter} />
              </Section>
              <Section id="track-timeline" title={t('service.order.timeline')}>
                <Timeline entries={order.timeline} />
              </Section>
            </Stack>
          </Grid.Col>
        </Grid>
      ) : (
        <Alert color="blue" variant="light" title={t('service.track.noOrderTitle')}>
          {t('service.track.noOrder')}
        </Alert>
      )}
    </Stack>
  );
}

function TrackByLink({ token }: { token: string }) {
  const { t } = useTranslation();
  const tracking = useQuery({
    queryKey: ['service', 'track', 'link', token],
    queryFn: () => trackByLink(token),
    retry: false,
  });
  if (tracking.isPending) return <PageLoader />;
  if (tracking.isError) {
    const expired = tracking.error instanceof ApiError && tracking.error.status === 410;
    return (
      <Stack gap="md">
        <ApiErrorAlert
          error={tracking.error}
          fallbackTitle={expired ? t('service.track.linkExpired') : t('service.track.linkInvalid')}
        />
        <Anchor component={Link} to="/track">
          {t('service.track.useNumber')}
        </Anchor>
      </Stack>
    );
  }
  return (
    <Stack gap="lg">
      <TrackingView tracking={tracking.data} token={token} />
      <GuestConversation token={token} />
    </Stack>
  );
}

/** The claim's conversation, read and answered with the link's token: no account needed. */
function GuestConversation({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const conversation = useQuery({ ...guestConversationQuery(token), retry: false });
  if (!conversation.data) return null;
  return (
    <ConversationPanel
      conversation={conversation.data}
      reader="customer"
      openFile={(file) => openGuestFile(token, file)}
      send={(draft) => postGuestMessage(token, draft)}
      onSent={(view) => {
        queryClient.setQueryData(guestConversationQuery(token).queryKey, view);
      }}
    />
  );
}

function TrackByNumber({ initialNumber }: { initialNumber: string }) {
  const { t } = useTranslation();
  const [maintenanceNumber, setMaintenanceNumber] = useState(initialNumber);
  const [contact, setContact] = useState('');
  const lookup = useMutation({
    mutationFn: () => trackByNumber(maintenanceNumber.trim().toUpperCase(), contact.trim()),
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!lookup.isPending) lookup.mutate();
  };
  return (
    <Stack gap="lg">
      <Card withBorder padding="lg" maw={640} component="section" aria-labelledby="track-form">
        <Title order={2} size="h3" id="track-form" mb="sm">
          {t('service.track.formTitle')}
        </Title>
        <form onSubmit={submit}>
          <Stack gap="md">
            {lookup.isError && (
              <ApiErrorAlert
                error={lookup.error}
                fallbackTitle={
                  lookup.error instanceof ApiError && lookup.error.status === 404
                    ? t('service.track.notFound')
                    : t('service.track.failed')
                }
              />
            )}
            <TextInput
              name="maintenanceNumber"
              label={t('service.fields.maintenanceNumber')}
              description={t('service.track.numberHint')}
              required
              minLength={8}
              maxLength={20}
              autoComplete="off"
              value={maintenanceNumber}
              onChange={(e) => {
                setMaintenanceNumber(e.currentTarget.value);
              }}
            />
            <TextInput
              name="contact"
              label={t('service.track.contact')}
              description={t('service.track.contactHint')}
              required
              minLength={3}
              maxLength={254}
              autoComplete="email"
              value={contact}
              onChange={(e) => {
                setContact(e.currentTarget.value);
              }}
            />
            <Group>
              <Button
                type="submit"
                loading={lookup.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('service.track.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {lookup.data && <TrackingView tracking={lookup.data} />}
    </Stack>
  );
}

/** `/track`: by maintenance number and contact, or `/track?token=…` from the acknowledgement's link. */
export function TrackPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  return (
    <Stack gap="lg">
      <PageHeading title={t('service.track.title')} intro={t('service.track.intro')} />
      {token ? <TrackByLink token={token} /> : <TrackByNumber initialNumber={params.get('number') ?? ''} />}
      <Text size="sm">
        {t('service.track.noAccount')}{' '}
        <Anchor component={Link} to="/report">
          {t('service.guestReport.link')}
        </Anchor>
      </Text>
    </Stack>
  );
}

import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Code,
  CopyButton,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { eventTypes } from '../../../../src/app/events/types.js';
import { webhookDeliverySchema } from '../../../../src/http/webhooks/schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import { type ListColumn, ListTable, pageSizeOf, useFilterParams } from '../../components/ListTable.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { readableTitle } from '../../desk/ui.js';
import {
  createWebhook,
  deleteWebhook,
  redeliver,
  sendTestEvent,
  setWebhookEnabled,
  deliveriesPath,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookQuery,
  webhooksQuery,
} from './webhooks-api.js';

const deliveryTone = { pending: 'blue', delivered: 'teal', failed: 'red' } as const;

function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  if (endpoint.status === 'enabled') {
    return <ToneBadge tone="teal">{t('admin.webhooks.statuses.enabled')}</ToneBadge>;
  }
  return (
    <ToneBadge tone={endpoint.disabledReason === 'failing' ? 'red' : 'gray'}>
      {t(
        endpoint.disabledReason === 'failing'
          ? 'admin.webhooks.statuses.failing'
          : 'admin.webhooks.statuses.disabled',
      )}
    </ToneBadge>
  );
}

/** The new endpoint's secret, shown this once with a way to copy it. */
function NewSecret({ secret, url }: { secret: string; url: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="teal"
      variant="light"
      styles={readableTitle('teal')}
      role="status"
      title={t('admin.webhooks.createdTitle', { url })}
    >
      <Stack gap="xs">
        <Text size="sm">{t('admin.webhooks.createdOnce')}</Text>
        <Code
          block
          style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          data-testid="new-webhook-secret"
        >
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button size="compact-sm" variant="default" w="fit-content" onClick={copy}>
              {copied ? t('admin.webhooks.copied') : t('admin.webhooks.copy')}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Alert>
  );
}

function CreateEndpointForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      createWebhook({
        url: url.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        eventTypes: types,
      }),
    onSuccess: async () => {
      setUrl('');
      setDescription('');
      setTypes([]);
      await queryClient.invalidateQueries({ queryKey: webhooksQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate();
  };
  const all = types.length === eventTypes.length;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="webhook-form-title">
      <Title order={2} size="h3" id="webhook-form-title" mb="xs">
        {t('admin.webhooks.formTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('admin.webhooks.formIntro')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="md">
          {create.isError && <ApiErrorAlert error={create.error} />}
          {create.isSuccess && <NewSecret secret={create.data.secret} url={create.data.endpoint.url} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              name="url"
              type="url"
              label={t('admin.webhooks.url')}
              description={t('admin.webhooks.urlHint')}
              placeholder="https://erp.example.com/aftersales/webhooks"
              autoComplete="off"
              required
              maxLength={2048}
              value={url}
              onChange={(e) => {
                setUrl(e.currentTarget.value);
              }}
            />
            <TextInput
              name="description"
              label={t('admin.webhooks.description')}
              description={t('admin.webhooks.descriptionHint')}
              autoComplete="off"
              maxLength={200}
              value={description}
              onChange={(e) => {
                setDescription(e.currentTarget.value);
              }}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('admin.webhooks.eventTypes')}
            description={t('admin.webhooks.eventTypesHint')}
            value={types}
            onChange={setTypes}
          >
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing={6} mt="xs">
              {eventTypes.map((type) => (
                <Checkbox key={type} value={type} label={<Code>{type}</Code>} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Checkbox
            label={t('admin.webhooks.allTypes')}
            checked={all}
            indeterminate={types.length > 0 && !all}
            onChange={() => {
              setTypes(all ? [] : [...eventTypes]);
            }}
          />
          <Group>
            <Button
              type="submit"
              disabled={types.length === 0}
              loading={create.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('admin.webhooks.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function EndpointRows({ endpoints }: { endpoints: readonly WebhookEndpoint[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksQuery.queryKey });
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) => setWebhookEnabled(e.id, e.status !== 'enabled'),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => deleteWebhook(id), onSettled: refresh });
  if (endpoints.length === 0) return <Text c="dimmed">{t('admin.webhooks.none')}</Text>;
  return (
    <Stack gap="sm">
      {toggle.isError && <ApiErrorAlert error={toggle.error} />}
      {remove.isError && <ApiErrorAlert error={remove.error} />}
      <ScrollTable label={t('admin.webhooks.listTitle')} minWidth={880}>
        <Table striped verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.webhooks.url')}</Table.Th>
              <Table.Th scope="col">{t('admin.webhooks.eventTypes')}</Table.Th>
              <Table.Th scope="col">{t('admin.webhooks.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.webhooks.deliveries')}</Table.Th>
              <Table.Th scope="col">{t('admin.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {endpoints.map((endpoint) => (
              <Table.Tr key={endpoint.id}>
                <Table.Th scope="row" fw={600} style={{ wordBreak: 'break-all' }}>
                  <Anchor component={Link} to={`/admin/webhooks/${endpoint.id}`}>
                    {endpoint.url}
                  </Anchor>
                  {endpoint.description && (
                    <Text size="sm" c="dimmed" fw={400}>
                      {endpoint.description}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  {endpoint.eventTypes.length === eventTypes.length
                    ? t('admin.webhooks.allTypes')
                    : t('admin.webhooks.typeCount', { count: endpoint.eventTypes.length })}
                </Table.Td>
                <Table.Td>
                  <EndpointStatus endpoint={endpoint} />
                </Table.Td>
                <Table.Td>{t('admin.webhooks.deliveryCounts', endpoint.deliveries)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="default"
                      aria-label={t(
                        endpoint.status === 'enabled'
                          ? 'admin.webhooks.disableNamed'
                          : 'admin.webhooks.enableNamed',
                        { url: endpoint.url },
                      )}
                      loading={toggle.isPending && toggle.variables.id === endpoint.id}
                      loaderProps={{ 'aria-label': t('common.working') }}
                      onClick={() => {
                        toggle.mutate(endpoint);
                      }}
                    >
                      {t(endpoint.status === 'enabled' ? 'admin.webhooks.disable' : 'admin.webhooks.enable')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="default"
                      c="red.9"
                      aria-label={t('admin.webhooks.deleteNamed', { url: endpoint.url })}
                      loading={remove.isPending && remove.variables === endpoint.id}
                      loaderProps={{ 'aria-label': t('common.working') }}
                      onClick={() => {
                        if (window.confirm(t('admin.webhooks.deleteConfirm', { url: endpoint.url })))
                          remove.mutate(endpoint.id);
                      }}
                    >
                      {t('admin.webhooks.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

/** Endpoints that receive the platform's events, signed: the maker's ERP, a CRM, a chat tool. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const endpoints = useQuery(webhooksQuery);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('admin.webhooks.title')}</Title>
        <Text mt="xs">{t('admin.webhooks.intro')}</Text>
      </div>
      <CreateEndpointForm />
      <Stack gap="sm" component="section" aria-labelledby="webhooks-list-title">
        <Title order={2} size="h3" id="webhooks-list-title">
          {t('admin.webhooks.listTitle')}
        </Title>
        {endpoints.isPending ? (
          <PageLoader />
        ) : endpoints.isError ? (
          <LoadError error={endpoints.error} onRetry={() => void endpoints.refetch()} />
        ) : (
          <EndpointRows endpoints={endpoints.data} />
        )}
      </Stack>
    </Stack>
  );
}

function AttemptLog({ delivery }: { delivery: WebhookDelivery }) {
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  if (delivery.attemptLog.length === 0) return <Text size="sm">{t('admin.webhooks.noAttempts')}</Text>;
  return (
    <details>
      <summary>{t('admin.webhooks.attemptsShown', { count: delivery.attemptLog.length })}</summary>
      <Stack gap={6} mt={6}>
        {delivery.attemptLog.map((a) => (
          <div key={a.attemptedAt + String(a.durationMs)}>
            <Text size="sm">
              {when.format(new Date(a.attemptedAt))} · {a.statusCode ?? '—'} ·{' '}
              {t('admin.webhooks.duration', { ms: a.durationMs })}
              {a.error ? ` · ${a.error}` : ''}
            </Text>
            {a.responseExcerpt && (
              <Code
                block
                style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 120, overflow: 'auto' }}
              >
                {a.responseExcerpt}
              </Code>
            )}
          </div>
        ))}
      </Stack>
    </details>
  );
}

/** One endpoint: its deliveries with every attempt, a test event, and redelivery of any of them. */
export function WebhookDeliveriesPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const endpoint = useQuery(webhookQuery(id));
  const { params, filter, setParam } = useFilterParams();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks', id] });
    await queryClient.invalidateQueries({ queryKey: ['list', deliveriesPath(id)] });
  };
  const test = useMutation({ mutationFn: () => sendTestEvent(id), onSettled: refresh });
  const again = useMutation({ mutationFn: (eventId: string) => redeliver(id, eventId), onSettled: refresh });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const enabled = endpoint.data?.status === 'enabled';
  const columns: ListColumn<WebhookDelivery>[] = [
    {
      key: 'event',
      header: t('admin.webhooks.event'),
      rowHeader: true,
      cell: (d) => (
        <>
          <Code>{d.eventType}</Code>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {d.eventId} · {t(`admin.webhooks.kinds.${d.kind}`)} · {when.format(new Date(d.createdAt))}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      header: t('admin.webhooks.status'),
      sort: 'nextAttemptAt',
      cell: (d) => (
        <>
          <ToneBadge tone={deliveryTone[d.status]}>
            {t(`admin.webhooks.deliveryStatuses.${d.status}`)}
          </ToneBadge>
          {d.nextAttemptAt && d.attempts > 0 && (
            <Text size="xs" mt={4}>
              {t('admin.webhooks.nextAttempt', { when: when.format(new Date(d.nextAttemptAt)) })}
            </Text>
          )}
        </>
      ),
    },
    { key: 'attempts', header: t('admin.webhooks.attempts'), sort: 'attempts', cell: (d) => d.attempts },
    {
      key: 'response',
      header: t('admin.webhooks.response'),
      cell: (d) => (
        <div style={{ maxWidth: 360 }}>
          <AttemptLog delivery={d} />
        </div>
      ),
    },
    {
      key: 'actions',
      header: t('admin.actions'),
      cell: (d) => (
        <Button
          size="compact-sm"
          variant="default"
          disabled={!enabled}
          aria-label={t('admin.webhooks.redeliverNamed', { type: d.eventType, id: d.eventId })}
          loading={again.isPending && again.variables === d.eventId}
          loaderProps={{ 'aria-label': t('common.working') }}
          onClick={() => {
            again.mutate(d.eventId);
          }}
        >
          {t('admin.webhooks.redeliver')}
        </Button>
      ),
    },
  ];
  if (endpoint.isPending) return <PageLoader />;
  if (endpoint.isError) return <LoadError error={endpoint.error} onRetry={() => void endpoint.refetch()} />;
  const e = endpoint.data;
  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/admin/webhooks" size="sm">
          {t('admin.webhooks.back')}
        </Anchor>
        <Title order={1} size="h2" mt="xs" style={{ wordBreak: 'break-all' }}>
          {e.url}
        </Title>
        <Group gap="sm" mt="xs">
          <EndpointStatus endpoint={e} />
          <Text size="sm">{e.description}</Text>
        </Group>
        {e.failingSince && (
          <Text size="sm" mt="xs" c="red.9">
            {t('admin.webhooks.failingSince', { when: when.format(new Date(e.failingSince)) })}
          </Text>
        )}
      </div>
      <Group>
        <Button
          onClick={() => {
            test.mutate();
          }}
          disabled={e.status !== 'enabled'}
          loading={test.isPending}
          loaderProps={{ 'aria-label': t('common.working') }}
        >
          {t('admin.webhooks.sendTest')}
        </Button>
        {test.isSuccess && (
          <Text size="sm" role="status">
            {t('admin.webhooks.testQueued')}
          </Text>
        )}
      </Group>
      {test.isError && <ApiErrorAlert error={test.error} />}
      {again.isError && <ApiErrorAlert error={again.error} />}
      <Stack gap="sm" component="section" aria-labelledby="deliveries-title">
        <Title order={2} size="h3" id="deliveries-title">
          {t('admin.webhooks.deliveriesTitle')}
        </Title>
        <ListTable
          label={t('admin.webhooks.deliveriesTitle')}
          path={deliveriesPath(id)}
          item={webhookDeliverySchema}
          rowKey={(d) => d.id}
          columns={columns}
          params={{ status: filter('status'), eventType: filter('eventType') }}
          defaultSort="createdAt"
          defaultOrder="desc"
          empty={t('admin.webhooks.noDeliveries')}
          pageSize={pageSizeOf(params.get('per'))}
          minWidth={880}
          searchHint={t('admin.webhooks.searchHint')}
          exportable={false}
          refetchInterval={5000}
          filters={
            <>
              <NativeSelect
                label={t('admin.webhooks.status')}
                value={filter('status')}
                onChange={(ev) => {
                  setParam('status', ev.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('admin.webhooks.anyStatus') },
                  ...(['pending', 'delivered', 'failed'] as const).map((s) => ({
                    value: s,
                    label: t(`admin.webhooks.deliveryStatuses.${s}`),
                  })),
                ]}
              />
              <NativeSelect
                label={t('admin.webhooks.event')}
                value={filter('eventType')}
                onChange={(ev) => {
                  setParam('eventType', ev.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('admin.webhooks.anyEventType') },
                  ...['webhook.test', ...eventTypes].map((type) => ({ value: type, label: type })),
                ]}
              />
            </>
          }
        />
      </Stack>
    </Stack>
  );
}

import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  NativeSelect,
  NumberInput,
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
import {
  type ApiKeyRole,
  apiKeyRoles,
  DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
  isApiKeyRole,
  MAX_API_KEY_REQUESTS_PER_MINUTE,
} from '../../../../src/domain/access/api-keys.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { formatMoment } from '../../format.js';
import { readableTitle } from '../../desk/ui.js';
import { type ApiKey, apiKeysQuery, createApiKey, revokeApiKey } from './api-keys-api.js';
import { emptyScope, type ScopeValue, ScopePicker, scopeOfRole, ScopeText } from './scope.js';

const statusTone = { active: 'teal', expired: 'red', revoked: 'gray' } as const satisfies Record<
  ApiKey['status'],
  string
>;

/** How long a new key lives: GitHub's choices, since people know them; none means until revoked. */
const lifetimes = ['30', '90', '365', 'never'] as const;
type Lifetime = (typeof lifetimes)[number];

function expiryOf(lifetime: Lifetime): string | null {
  if (lifetime === 'never') return null;
  return new Date(Date.now() + Number(lifetime) * 24 * 3_600_000).toISOString();
}

/** The new key, shown this once with a way to copy it: only its hash is kept. */
function NewKey({ secret, name }: { secret: string; name: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="teal"
      variant="light"
      styles={readableTitle('teal')}
      role="status"
      title={t('admin.apiKeys.createdTitle', { name })}
    >
      <Stack gap="xs">
        <Text size="sm">{t('admin.apiKeys.createdOnce')}</Text>
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="new-api-key">
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button size="compact-sm" variant="default" w="fit-content" onClick={copy}>
              {copied ? t('admin.apiKeys.copied') : t('admin.apiKeys.copy')}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Alert>
  );
}

function CreateKeyForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('dealer');
  const [scope, setScope] = useState<ScopeValue>(emptyScope);
  const [lifetime, setLifetime] = useState<Lifetime>('90');
  const [perMinute, setPerMinute] = useState<number | string>(DEFAULT_API_KEY_REQUESTS_PER_MINUTE);
  const create = useMutation({
    mutationFn: () =>
      createApiKey({
        name: name.trim(),
        role,
        ...scopeOfRole(role, scope),
        expiresAt: expiryOf(lifetime),
        requestsPerMinute: typeof perMinute === 'number' ? perMinute : Number.NaN,
      }),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: apiKeysQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="api-key-form-title">
      <Title order={2} size="h3" id="api-key-form-title" mb="xs">
        {t('admin.apiKeys.formTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('admin.apiKeys.formIntro')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="md">
          {create.isError && <ApiErrorAlert error={create.error} />}
          {create.isSuccess && <NewKey secret={create.data.key} name={create.data.apiKey.name} />}
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            <TextInput
              name="name"
              label={t('admin.apiKeys.name')}
              description={t('admin.apiKeys.nameHint')}
              autoComplete="off"
              required
              maxLength={100}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
              }}
            />
            <NativeSelect
              name="role"
              label={t('admin.role')}
              description={t('admin.apiKeys.roleHint')}
              required
              value={role}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isApiKeyRole(value)) setRole(value);
              }}
              data={apiKeyRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <ScopePicker role={role} value={scope} onChange={setScope} />
            <NativeSelect
              name="lifetime"
              label={t('admin.apiKeys.lifetime')}
              value={lifetime}
              onChange={(e) => {
                const value = lifetimes.find((l) => l === e.currentTarget.value);
                if (value) setLifetime(value);
              }}
              data={lifetimes.map((l) => ({ value: l, label: t(`admin.apiKeys.lifetimes.${l}`) }))}
            />
            <NumberInput
              name="requestsPerMinute"
              label={t('admin.apiKeys.perMinute')}
              description={t('admin.apiKeys.perMinuteHint')}
              min={1}
              max={MAX_API_KEY_REQUESTS_PER_MINUTE}
              allowDecimal={false}
              allowNegative={false}
              value={perMinute}
              onChange={setPerMinute}
            />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              loading={create.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('admin.apiKeys.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function KeyRows({ keys }: { keys: readonly ApiKey[] }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => revokeApiKey(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeysQuery.queryKey }),
  });
  if (keys.length === 0) return <Text c="dimmed">{t('admin.apiKeys.none')}</Text>;
  return (
    <Stack gap="sm">
      {revoke.isError && <ApiErrorAlert error={revoke.error} />}
      <ScrollTable label={t('admin.apiKeys.listTitle')} minWidth={880}>
        <Table striped verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.apiKeys.name')}</Table.Th>
              <Table.Th scope="col">{t('admin.apiKeys.prefix')}</Table.Th>
              <Table.Th scope="col">{t('admin.role')}</Table.Th>
              <Table.Th scope="col">{t('admin.scope')}</Table.Th>
              <Table.Th scope="col">{t('admin.apiKeys.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.apiKeys.lastUsed')}</Table.Th>
              <Table.Th scope="col">{t('admin.apiKeys.expires')}</Table.Th>
              <Table.Th scope="col">{t('admin.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => (
              <Table.Tr key={key.id}>
                <Table.Th scope="row" fw={600}>
                  {key.name}
                </Table.Th>
                <Table.Td>
                  <Code>{key.prefix}</Code>
                </Table.Td>
                <Table.Td>{t(`role.${key.role}`)}</Table.Td>
                <Table.Td>
                  <ScopeText owner={key} />
                </Table.Td>
                <Table.Td>
                  <ToneBadge tone={statusTone[key.status]}>
                    {t(`admin.apiKeys.statuses.${key.status}`)}
                  </ToneBadge>
                </Table.Td>
                <Table.Td>
                  {key.lastUsedAt ? formatMoment(key.lastUsedAt, i18n.language) : t('admin.apiKeys.never')}
                </Table.Td>
                <Table.Td>
                  {key.expiresAt ? formatMoment(key.expiresAt, i18n.language) : t('admin.apiKeys.noExpiry')}
                </Table.Td>
                <Table.Td>
                  {key.status === 'active' && (
                    <Button
                      size="compact-sm"
                      variant="default"
                      c="red.9"
                      aria-label={t('admin.apiKeys.revokeNamed', { name: key.name })}
                      loading={revoke.isPending && revoke.variables === key.id}
                      loaderProps={{ 'aria-label': t('common.working') }}
                      onClick={() => {
                        if (window.confirm(t('admin.apiKeys.revokeConfirm', { name: key.name })))
                          revoke.mutate(key.id);
                      }}
                    >
                      {t('admin.apiKeys.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

/** Keys for machines: a dealer's point of sale, the maker's ERP, a CRM. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useQuery(apiKeysQuery);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('admin.apiKeys.title')}</Title>
        <Text mt="xs">{t('admin.apiKeys.intro')}</Text>
      </div>
      <CreateKeyForm />
      <Stack gap="sm" component="section" aria-labelledby="api-keys-list-title">
        <Title order={2} size="h3" id="api-keys-list-title">
          {t('admin.apiKeys.listTitle')}
        </Title>
        {keys.isPending ? (
          <PageLoader />
        ) : keys.isError ? (
          <LoadError error={keys.error} onRetry={() => void keys.refetch()} />
        ) : (
          <KeyRows keys={keys.data} />
        )}
      </Stack>
    </Stack>
  );
}

import {
  Alert,
  Button,
  Card,
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
import { invitableRoles } from '../../../../src/domain/access/access.js';
import { createInvitation, type Invitation, type InvitableRole, revokeInvitation } from '../../accounts.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { formatMoment } from '../../format.js';
import { invitationsQuery } from './admin-queries.js';
import { emptyScope, type ScopeValue, ScopePicker, scopeOfRole, ScopeText } from './scope.js';

const statusTone = {
  pending: 'blue',
  accepted: 'teal',
  revoked: 'gray',
  expired: 'red',
} as const satisfies Record<Invitation['status'], string>;

function isInvitable(role: string): role is InvitableRole {
  return (invitableRoles as readonly string[]).includes(role);
}

function InviteForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitableRole>('support');
  const [scope, setScope] = useState<ScopeValue>(emptyScope);
  const invite = useMutation({
    mutationFn: () => createInvitation({ email: email.trim(), role, ...scopeOfRole(role, scope) }),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: invitationsQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="invite-title">
      <Title order={2} size="h3" id="invite-title" mb="xs">
        {t('admin.invitations.formTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('admin.invitations.formIntro')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="md">
          {invite.isError && <ApiErrorAlert error={invite.error} />}
          {invite.isSuccess && (
            <Alert color="teal" variant="light" role="status" title={t('admin.invitations.sentTitle')}>
              <Text size="sm">{t('admin.invitations.sent', { email: invite.data.email })}</Text>
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <TextInput
              type="email"
              name="email"
              label={t('admin.email')}
              autoComplete="off"
              required
              value={email}
              onChange={(e) => {
                setEmail(e.currentTarget.value);
              }}
            />
            <NativeSelect
              name="role"
              label={t('admin.role')}
              required
              value={role}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isInvitable(value)) setRole(value);
              }}
              data={invitableRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <ScopePicker role={role} value={scope} onChange={setScope} />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              loading={invite.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('admin.invitations.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function InvitationRows({ invitations }: { invitations: readonly Invitation[] }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => revokeInvitation(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationsQuery.queryKey }),
  });
  if (invitations.length === 0) return <Text c="dimmed">{t('admin.invitations.none')}</Text>;
  return (
    <Stack gap="sm">
      {revoke.isError && <ApiErrorAlert error={revoke.error} />}
      <ScrollTable label={t('admin.invitations.listTitle')} minWidth={720}>
        <Table striped verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.email')}</Table.Th>
              <Table.Th scope="col">{t('admin.role')}</Table.Th>
              <Table.Th scope="col">{t('admin.scope')}</Table.Th>
              <Table.Th scope="col">{t('admin.invitations.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.invitations.expires')}</Table.Th>
              <Table.Th scope="col">{t('admin.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Th scope="row" fw={600}>
                  {invitation.email}
                </Table.Th>
                <Table.Td>{t(`role.${invitation.role}`)}</Table.Td>
                <Table.Td>
                  <ScopeText owner={invitation} />
                </Table.Td>
                <Table.Td>
                  <ToneBadge tone={statusTone[invitation.status]}>
                    {t(`admin.invitations.statuses.${invitation.status}`)}
                  </ToneBadge>
                </Table.Td>
                <Table.Td>{formatMoment(invitation.expiresAt, i18n.language)}</Table.Td>
                <Table.Td>
                  {invitation.status === 'pending' && (
                    <Button
                      size="compact-sm"
                      variant="default"
                      c="red.9"
                      aria-label={t('admin.invitations.revokeFor', { email: invitation.email })}
                      loading={revoke.isPending && revoke.variables === invitation.id}
                      loaderProps={{ 'aria-label': t('common.working') }}
                      onClick={() => {
                        revoke.mutate(invitation.id);
                      }}
                    >
                      {t('admin.invitations.revoke')}
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

export function InvitationsPage() {
  const { t } = useTranslation();
  const invitations = useQuery(invitationsQuery);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('admin.invitations.title')}</Title>
        <Text mt="xs">{t('admin.invitations.intro')}</Text>
      </div>
      <InviteForm />
      <Stack gap="sm" component="section" aria-labelledby="invitations-list-title">
        <Title order={2} size="h3" id="invitations-list-title">
          {t('admin.invitations.listTitle')}
        </Title>
        {invitations.isPending ? (
          <PageLoader />
        ) : invitations.isError ? (
          <LoadError error={invitations.error} onRetry={() => void invitations.refetch()} />
        ) : (
          <InvitationRows invitations={invitations.data} />
        )}
      </Stack>
    </Stack>
  );
}

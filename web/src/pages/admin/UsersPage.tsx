import { Button, Group, Modal, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invitableRoles } from '../../../../src/domain/access/access.js';
import { changeUserRole, deactivateUser, type InvitableRole, type User } from '../../accounts.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { useMe } from '../../session.js';
import { usersQuery } from './admin-queries.js';
import { type ScopeValue, ScopePicker, scopeOfRole, ScopeText } from './scope.js';

function isInvitable(role: string): role is InvitableRole {
  return (invitableRoles as readonly string[]).includes(role);
}

function RoleDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<InvitableRole>(isInvitable(user.role) ? user.role : 'support');
  const [scope, setScope] = useState<ScopeValue>({
    dealerId: user.dealerId,
    serviceCenterId: user.serviceCenterId,
    oemClientId: user.oemClientId,
  });
  const save = useMutation({
    mutationFn: () => changeUserRole(user.id, { role, ...scopeOfRole(role, scope) }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });
      onClose();
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('admin.users.changeRoleOf', { name: user.name })}
      centered
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {save.isError && <ApiErrorAlert error={save.error} />}
          <NativeSelect
            label={t('admin.role')}
            name="role"
            required
            value={role}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isInvitable(value)) setRole(value);
            }}
            data={invitableRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <ScopePicker role={role} value={scope} onChange={setScope} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeactivateDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: () => deactivateUser(user.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });
      onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('admin.users.deactivateTitle', { name: user.name })}
      centered
    >
      <Stack gap="md">
        {deactivate.isError && <ApiErrorAlert error={deactivate.error} />}
        <Text>{t('admin.users.deactivateBody', { email: user.email })}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red.9"
            loading={deactivate.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
            onClick={() => {
              deactivate.mutate();
            }}
          >
            {t('admin.users.deactivate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type Dialog = { kind: 'role' | 'deactivate'; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const users = useQuery(usersQuery);
  const me = useMe();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    setDialog(null);
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('admin.users.title')}</Title>
        <Text mt="xs">{t('admin.users.intro')}</Text>
      </div>
      {users.isPending ? (
        <PageLoader />
      ) : users.isError ? (
        <LoadError error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <ScrollTable label={t('admin.users.title')} minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.email')}</Table.Th>
                <Table.Th scope="col">{t('admin.role')}</Table.Th>
                <Table.Th scope="col">{t('admin.scope')}</Table.Th>
                <Table.Th scope="col">{t('admin.users.status')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((user) => {
                const self = user.id === me.data?.id;
                return (
                  <Table.Tr key={user.id}>
                    <Table.Th scope="row" fw={600}>
                      {user.name}
                    </Table.Th>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>{t(`role.${user.role}`)}</Table.Td>
                    <Table.Td>
                      <ScopeText owner={user} />
                    </Table.Td>
                    <Table.Td>
                      {user.active ? (
                        <ToneBadge tone="teal">{t('admin.users.active')}</ToneBadge>
                      ) : (
                        <ToneBadge tone="gray">{t('admin.users.inactive')}</ToneBadge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {user.role !== 'customer' && user.active && (
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={t('admin.users.changeRoleFor', { name: user.name })}
                            onClick={() => {
                              setDialog({ kind: 'role', user });
                            }}
                          >
                            {t('admin.users.changeRole')}
                          </Button>
                        )}
                        {user.active && !self && (
                          <Button
                            size="compact-sm"
                            variant="default"
                            c="red.9"
                            aria-label={t('admin.users.deactivateNamed', { name: user.name })}
                            onClick={() => {
                              setDialog({ kind: 'deactivate', user });
                            }}
                          >
                            {t('admin.users.deactivate')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {dialog?.kind === 'role' && <RoleDialog user={dialog.user} onClose={close} />}
      {dialog?.kind === 'deactivate' && <DeactivateDialog user={dialog.user} onClose={close} />}
    </Stack>
  );
}

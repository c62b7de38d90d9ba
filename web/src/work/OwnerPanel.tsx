import { Alert, Button, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { DeskErrorAlert } from '../desk/ui.js';
import { useMe } from '../session.js';
import { assigneesQuery, changeOwner, type OwnedKind } from './work-api.js';

type Owner = { id: string; name: string } | null;

/**
 * Who works a claim or an order, and the three things one can do about it: take it, give it to a
 * colleague (the picker offers only those the server would accept), release it. Taking what someone
 * else works is refused first; the refusal offers to take it over, as an explicit reassignment.
 */
export function OwnerPanel({ kind, id, owner }: { kind: OwnedKind; id: string; owner: Owner }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const assignees = useQuery(assigneesQuery(kind, id));
  const [assignee, setAssignee] = useState('');
  const change = useMutation({
    mutationFn: (
      c:
        | { verb: 'take' | 'release'; reassign?: boolean }
        | { verb: 'assign'; userId: string; reassign?: boolean },
    ) => changeOwner(kind, id, c),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const mine = owner !== null && owner.id === me.data?.id;
  const othersOwner =
    change.error instanceof ApiError && change.error.code === 'OWNED_BY_ANOTHER'
      ? (change.error.details as { owner?: Owner } | undefined)?.owner
      : undefined;
  const pending = change.isPending;
  const choices = (assignees.data ?? []).filter((p) => p.id !== owner?.id);
  const heading = `owner-${kind}-${id}`;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={heading}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={heading}>
          {t('work.owner.title')}
        </Title>
        <Text size="sm" data-testid="owner">
          {owner === null
            ? t('work.owner.nobody')
            : mine
              ? t('work.owner.you')
              : t('work.owner.is', { name: owner.name })}
        </Text>
        {othersOwner ? (
          <Alert color="orange" variant="light" role="alert">
            <Text size="sm">{t('work.owner.ownedByAnother', { name: othersOwner.name })}</Text>
            <Button
              mt="sm"
              size="sm"
              color="orange"
              loading={pending}
              onClick={() => {
                change.mutate({ verb: 'take', reassign: true });
              }}
            >
              {t('work.owner.takeOver', { name: othersOwner.name })}
            </Button>
          </Alert>
        ) : (
          change.error && <DeskErrorAlert error={change.error} />
        )}
        <Group gap="sm" align="flex-end" wrap="wrap">
          {!mine && (
            <Button
              loading={pending}
              onClick={() => {
                change.mutate({ verb: 'take' });
              }}
            >
              {t('work.owner.take')}
            </Button>
          )}
          {owner !== null && (
            <Button
              variant="default"
              loading={pending}
              onClick={() => {
                change.mutate({ verb: 'release', reassign: !mine });
              }}
            >
              {t('work.owner.release')}
            </Button>
          )}
        </Group>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('work.owner.assignTo')}
            value={assignee}
            onChange={(e) => {
              setAssignee(e.currentTarget.value);
            }}
            miw={220}
            data={[
              { value: '', label: t('work.owner.choose') },
              ...choices.map((p) => ({
                value: p.id,
                label: `${p.name} (${t(`work.owner.role.${p.role}`, { defaultValue: p.role })})`,
              })),
            ]}
          />
          <Button
            variant="light"
            disabled={!assignee}
            loading={pending}
            onClick={() => {
              change.mutate({ verb: 'assign', userId: assignee, reassign: owner !== null && !mine });
              setAssignee('');
            }}
          >
            {t('work.owner.assign')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

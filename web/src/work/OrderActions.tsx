import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MaintenanceState } from '../../../src/domain/maintenance/state-machine.js';
import { storeDayOf, storeToday } from '../format.js';
import { ChangeError, DateText, isStale, Section } from '../service/common.js';
import {
  type MaintenanceOrder,
  type MaintenanceOrderDetail,
  moveMaintenanceOrder,
  recordCustomerContact,
} from '../service/service-api.js';

/*
 * The actions on one maintenance order — move it, record a call to the customer — shared by the
 * technician's order page and support's: one component, so both offer the same moves with the same
 * dialogs. It shows only what the server says the signed-in reader may do: `allowedMoves` is the state
 * machine's moves when the access table lets the reader move this order, and empty otherwise.
 */

type Action = { kind: 'move'; to: MaintenanceState } | { kind: 'contact' };

/** The dialog for one move: only the fields that move takes, and the order's version as read. */
function ActionDialog({
  order,
  action,
  onDone,
  onClose,
}: {
  order: MaintenanceOrderDetail;
  action: Action;
  onDone: (moved: MaintenanceOrder) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [diagnosis, setDiagnosis] = useState(order.diagnosis ?? '');
  const [misuse, setMisuse] = useState(false);
  const [returnTracking, setReturnTracking] = useState('');
  // The center's calendar: the service clock counts from the day the parcel arrived, in its time zone.
  const today = storeToday(undefined, order.serviceCenter.timeZone);
  const issuedOn = storeDayOf(order.createdAt, order.serviceCenter.timeZone);
  const [receivedOn, setReceivedOn] = useState(today);
  const to = action.kind === 'move' ? action.to : null;
  const asksDiagnosis = order.state === 'diagnosing' && to !== null;
  const asksTracking = to === 'returned';

  const run = useMutation({
    mutationFn: () => {
      const trimmedNote = note.trim();
      if (action.kind === 'contact') {
        return recordCustomerContact(order.id, {
          expectedVersion: order.version,
          ...(trimmedNote ? { note: trimmedNote } : {}),
        });
      }
      return moveMaintenanceOrder(order.id, {
        to: action.to,
        expectedVersion: order.version,
        ...(trimmedNote ? { note: trimmedNote } : {}),
        ...(asksDiagnosis && diagnosis.trim() ? { diagnosis: diagnosis.trim() } : {}),
        ...(action.to === 'paidService' ? { humanDamage: misuse } : {}),
        ...(asksTracking && returnTracking.trim() ? { returnTracking: returnTracking.trim() } : {}),
        ...(action.to === 'received' && receivedOn && receivedOn !== today ? { receivedOn } : {}),
      });
    },
    onSuccess: async (moved) => {
      // The order, both queues (the technician's and support's), its audit history and context.
      await queryClient.invalidateQueries();
      onDone(moved);
    },
    onError: async (error) => {
      // Someone else moved it: read it again, so the dialog's advice and the buttons are today's.
      if (isStale(error)) await queryClient.invalidateQueries();
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!run.isPending) run.mutate();
  };
  const title = action.kind === 'contact' ? t('service.move.contact') : t(`service.move.${action.to}`);
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={title}
      centered
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {run.isError && (
            <ChangeError
              error={run.error}
              object="order"
              allowed={order.allowedMoves.map((m) => t(`service.move.${m}`))}
            />
          )}
          <Text size="sm">
            {action.kind === 'contact' ? t('service.move.hint.contact') : t(`service.move.hint.${action.to}`)}
          </Text>
          {asksDiagnosis && (
            <Textarea
              name="diagnosis"
              label={t('service.fields.diagnosis')}
              autosize
              minRows={2}
              maxLength={2000}
              value={diagnosis}
              onChange={(e) => {
                setDiagnosis(e.currentTarget.value);
              }}
            />
          )}
          {to === 'paidService' && (
            <Checkbox
              name="humanDamage"
              required
              label={t('service.move.misuseConfirm')}
              checked={misuse}
              onChange={(e) => {
                setMisuse(e.currentTarget.checked);
              }}
            />
          )}
          {to === 'received' && (
            <TextInput
              type="date"
              name="receivedOn"
              label={t('service.move.receivedOn')}
              description={t('service.move.receivedOnHint')}
              required
              min={issuedOn}
              max={today}
              value={receivedOn}
              onChange={(e) => {
                setReceivedOn(e.currentTarget.value);
              }}
            />
          )}
          {asksTracking && (
            <TextInput
              name="returnTracking"
              label={t('service.fields.returnTracking')}
              description={t('service.move.trackingHint')}
              required={order.mode === 'mail_in'}
              maxLength={100}
              value={returnTracking}
              onChange={(e) => {
                setReturnTracking(e.currentTarget.value);
              }}
            />
          )}
          <Textarea
            name="note"
            label={t('service.move.note')}
            description={t('service.move.noteHint')}
            autosize
            minRows={2}
            maxLength={1000}
            value={note}
            onChange={(e) => {
              setNote(e.currentTarget.value);
            }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={to === 'cancelled' ? 'red.9' : undefined}
              loading={run.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {title}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The moves the reader may make, the customer call, and what the last action did. */
export function OrderActions({ order, slip = false }: { order: MaintenanceOrderDetail; slip?: boolean }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<{ action: Action; order: MaintenanceOrder } | null>(null);
  // Every open state has a next move: no move allowed means the order is finished or not the reader's.
  const mayAct = order.allowedMoves.length > 0;
  return (
    <>
      {done && (
        <Alert
          color="teal"
          variant="light"
          className="service-alert"
          role="status"
          title={t('service.move.done')}
        >
          {done.action.kind === 'move' && done.action.to === 'received' && done.order.dueOn ? (
            <>
              {t('service.move.receivedDue')} <DateText date={done.order.dueOn} />
            </>
          ) : (
            t(`service.state.${done.order.state}`)
          )}
        </Alert>
      )}
      <Section id="actions-title" title={t('service.move.title')}>
        {!mayAct ? (
          <Text>{t('service.move.none')}</Text>
        ) : (
          <Group gap="sm">
            {order.allowedMoves.map((to) => (
              <Button
                key={to}
                variant={to === 'cancelled' ? 'default' : 'filled'}
                c={to === 'cancelled' ? 'red.9' : undefined}
                onClick={() => {
                  setAction({ kind: 'move', to });
                }}
              >
                {t(`service.move.${to}`)}
              </Button>
            ))}
          </Group>
        )}
        {mayAct && (
          <Group gap="sm" align="center">
            <Button
              variant="default"
              onClick={() => {
                setAction({ kind: 'contact' });
              }}
            >
              {t('service.move.contact')}
            </Button>
            <Text size="sm" c="dimmed">
              {order.contactedOn ? (
                <>
                  {t('service.move.contactedOn')} <DateText date={order.contactedOn} />
                </>
              ) : (
                t('service.move.notContacted')
              )}
            </Text>
          </Group>
        )}
        {slip && (
          <Anchor component={Link} to={`/maintenance-orders/${order.id}/slip`}>
            {t('service.slip.open')}
          </Anchor>
        )}
      </Section>
      {action && (
        <ActionDialog
          order={order}
          action={action}
          onClose={() => {
            setAction(null);
          }}
          onDone={(moved) => {
            setDone({ action, order: moved });
            setAction(null);
          }}
        />
      )}
    </>
  );
}

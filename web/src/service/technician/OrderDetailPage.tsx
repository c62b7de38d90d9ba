import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Grid,
  Group,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { MaintenanceState } from '../../../../src/domain/maintenance/state-machine.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  ChangeError,
  CommitmentBadge,
  DateText,
  Facts,
  isStale,
  OrderStateBadge,
  Section,
  ServiceCenterFacts,
  Timeline,
  useLanguages,
} from '../common.js';
import {
  type MaintenanceOrder,
  type MaintenanceOrderDetail,
  maintenanceOrderQuery,
  moveMaintenanceOrder,
  recordCustomerContact,
} from '../service-api.js';
import { ClaimConversation } from '../ClaimConversation.js';
import { CustomerContextPanel } from '../../work/CustomerContextPanel.js';
import { OwnerPanel } from '../../work/OwnerPanel.js';

type Action = { kind: 'move'; to: MaintenanceState } | { kind: 'contact' };

/** A moment's calendar day in a time zone, as a date input wants it (YYYY-MM-DD). */
function dayIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

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
  const today = dayIn(order.serviceCenter.timeZone);
  const issuedOn = dayIn(order.serviceCenter.timeZone, new Date(order.createdAt));
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
      await queryClient.invalidateQueries({ queryKey: ['service', 'maintenance-orders'] });
      onDone(moved);
    },
    onError: async (error) => {
      // Someone else moved it: read it again, so the dialog's advice and the buttons are today's.
      if (isStale(error))
        await queryClient.invalidateQueries({ queryKey: ['service', 'maintenance-orders'] });
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

/** The order as the center works it: the facts, the timeline, and a button for each allowed move. */
export function OrderDetailPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { id = '' } = useParams();
  const order = useQuery(maintenanceOrderQuery(id));
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<{ action: Action; order: MaintenanceOrder } | null>(null);

  if (order.isPending) return <PageLoader />;
  if (order.isError) return <LoadError error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const open = o.state !== 'closed' && o.state !== 'cancelled';
  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/repairs" size="sm">
          {t('service.queue.back')}
        </Anchor>
        <Group justify="space-between" align="flex-end" mt="xs">
          <div>
            <Text size="sm" c="dimmed">
              {t('service.fields.maintenanceNumber')}
            </Text>
            <Title order={1} className="maintenance-number">
              {o.maintenanceNumber}
            </Title>
          </div>
          <Group gap="sm">
            <OrderStateBadge state={o.state} />
            <CommitmentBadge status={o.commitment.status} />
          </Group>
        </Group>
      </div>
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
        {o.allowedMoves.length === 0 ? (
          <Text>{t('service.move.none')}</Text>
        ) : (
          <Group gap="sm">
            {o.allowedMoves.map((to) => (
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
        {open && (
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
              {o.contactedOn ? (
                <>
                  {t('service.move.contactedOn')} <DateText date={o.contactedOn} />
                </>
              ) : (
                t('service.move.notContacted')
              )}
            </Text>
          </Group>
        )}
        <Anchor component={Link} to={`/maintenance-orders/${o.id}/slip`}>
          {t('service.slip.open')}
        </Anchor>
      </Section>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section id="order-facts" title={t('service.order.details')}>
            <Facts
              items={[
                [t('service.fields.product'), `${o.product.name[lang]} (${o.product.sku})`],
                [t('service.fields.customer'), o.customer.name],
                [
                  t('service.fields.contact'),
                  [o.customer.phone, o.customer.email].filter(Boolean).join(' · ') || '—',
                ],
                [t('service.fields.mode'), t(`service.modeShort.${o.mode}`)],
                [t('service.fields.receivedOn'), <DateText key="r" date={o.receivedOn} />],
                [t('service.fields.dueOn'), <DateText key="d" date={o.dueOn} />],
                [t('service.fields.diagnosis'), o.diagnosis ?? '—'],
                [t('service.fields.humanDamage'), o.humanDamageFound ? t('common.yes') : t('common.no')],
                [t('service.fields.returnedOn'), <DateText key="ret" date={o.returnedOn} />],
                [t('service.fields.returnTracking'), o.returnTracking ?? '—'],
              ]}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section id="timeline-title" title={t('service.order.timeline')}>
            <Timeline entries={o.timeline} />
          </Section>
        </Grid.Col>
      </Grid>
      <ClaimConversation claimId={o.claimId} reader="staff" />
      <OwnerPanel kind="order" id={o.id} owner={o.owner} />
      <CustomerContextPanel kind="order" id={o.id} claimId={o.claimId} />
      <Section id="center-title" title={t('service.center.title')}>
        <ServiceCenterFacts center={o.serviceCenter} />
      </Section>
      {action && (
        <ActionDialog
          order={o}
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
    </Stack>
  );
}

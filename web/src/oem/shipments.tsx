import { Anchor, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ToneBadge } from '../components/Badges.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { Day } from '../desk/ui.js';
import {
  moveShipment,
  type MoveShipmentRequest,
  type RemakeOrder,
  type ReplacementShipment,
  type ShipmentKind,
  type ShipmentState,
} from './oem-api.js';
import { OemErrorAlert, ShippingBadge, Units } from './ui.js';

/*
 * What the maker ships after a defect — a remake order (a confirmed batch defect, by air) or a
 * replacement shipment (the client's remedy for defects beyond the spares) — with where it stands:
 * planned, in production, shipped (carrier and waybill), delivered; and, for the staff who ship it,
 * the next move.
 */

type Shipment = RemakeOrder | ReplacementShipment;

const stateTone = {
  planned: 'gray',
  in_production: 'grape',
  shipped: 'blue',
  delivered: 'teal',
  cancelled: 'red',
} as const satisfies Record<ShipmentState, string>;

export function ShipmentStateBadge({ state }: { state: ShipmentState }) {
  const { t } = useTranslation();
  return <ToneBadge tone={stateTone[state]}>{t(`oem.shipment.state.${state}`)}</ToneBadge>;
}

const numberOf = (s: Shipment) => ('remakeNumber' in s ? s.remakeNumber : s.shipmentNumber);

/** The next move of a shipment: a button, and a small form for the moves that record something. */
function MoveDialog({
  kind,
  shipment,
  to,
  onClose,
}: {
  kind: ShipmentKind;
  shipment: Shipment;
  to: ShipmentState;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [carrier, setCarrier] = useState(shipment.carrier ?? '');
  const [waybill, setWaybill] = useState('');
  const [mode, setMode] = useState<string>(shipment.shippingMode);
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'carrier' | 'waybill' | 'reason', string>>>({});
  const move = useMutation({
    mutationFn: (body: MoveShipmentRequest) => moveShipment(kind, shipment.id, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
      await queryClient.invalidateQueries({ queryKey: ['qa'] });
      onClose();
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: typeof errors = {};
    if (to === 'shipped' && carrier.trim() === '') problems.carrier = t('oem.shipment.carrierRequired');
    if (to === 'shipped' && waybill.trim() === '') problems.waybill = t('oem.shipment.waybillRequired');
    if (to === 'cancelled' && reason.trim() === '') problems.reason = t('oem.shipment.reasonRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const body: MoveShipmentRequest = { to, expectedVersion: shipment.version };
    if (to === 'shipped') {
      body.carrier = carrier.trim();
      body.waybill = waybill.trim();
      body.shippingMode = mode as MoveShipmentRequest['shippingMode'];
      if (day) body.shippedOn = day;
    }
    if (to === 'delivered' && day) body.deliveredOn = day;
    if (to === 'cancelled') body.reason = reason.trim();
    move.mutate(body);
  };
  const number = numberOf(shipment);
  return (
    <Modal
      opened
      centered
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t(`oem.shipment.moveTitle.${to}`, { number })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {move.isError && <OemErrorAlert error={move.error} />}
          {to === 'shipped' && (
            <>
              <TextInput
                name="carrier"
                label={t('oem.shipment.carrier')}
                required
                value={carrier}
                error={errors.carrier}
                onChange={(e) => {
                  setCarrier(e.currentTarget.value);
                }}
                autoComplete="off"
              />
              <TextInput
                name="waybill"
                label={kind === 'remake' ? t('oem.shipment.airWaybill') : t('oem.shipment.waybill')}
                required
                value={waybill}
                error={errors.waybill}
                onChange={(e) => {
                  setWaybill(e.currentTarget.value);
                }}
                autoComplete="off"
              />
              {kind === 'replacement' && (
                <NativeSelect
                  name="shippingMode"
                  label={t('oem.fields.shipping')}
                  value={mode}
                  onChange={(e) => {
                    setMode(e.currentTarget.value);
                  }}
                  data={['sea', 'air', 'road'].map((m) => ({ value: m, label: t(`shipping.${m}`) }))}
                />
              )}
            </>
          )}
          {(to === 'shipped' || to === 'delivered') && (
            <TextInput
              type="date"
              name="day"
              label={to === 'shipped' ? t('oem.shipment.shippedOn') : t('oem.shipment.deliveredOn')}
              description={t('oem.shipment.todayByDefault')}
              value={day}
              onChange={(e) => {
                setDay(e.currentTarget.value);
              }}
            />
          )}
          {to === 'cancelled' && (
            <TextInput
              name="reason"
              label={t('oem.shipment.reason')}
              required
              value={reason}
              error={errors.reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
              }}
              autoComplete="off"
            />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={to === 'cancelled' ? 'red.8' : undefined}
              loading={move.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t(`oem.shipment.move.${to}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Where a shipment stands: its carrier and waybill once it left, the days it left and arrived. */
function Tracking({ shipment }: { shipment: Shipment }) {
  const { t } = useTranslation();
  if (shipment.state === 'cancelled') {
    return (
      <Text size="xs" c="dark.6">
        {shipment.cancellationReason}
      </Text>
    );
  }
  if (!shipment.waybill) return <Text size="sm">—</Text>;
  return (
    <div>
      <Text size="sm">{shipment.carrier}</Text>
      <Text size="sm" ff="monospace" className="nowrap">
        {shipment.waybill}
      </Text>
      <Text size="xs" c="dark.6">
        {t('oem.shipment.shippedOn')} <Day date={shipment.shippedOn} />
        {shipment.deliveredOn && (
          <>
            {' · '}
            {t('oem.shipment.deliveredOn')} <Day date={shipment.deliveredOn} />
          </>
        )}
      </Text>
    </div>
  );
}

/**
 * Remake orders or replacement shipments in a table: number, order (when asked), lot, units, where
 * each stands and how it travels; the next moves for those who may ship them.
 */
export function ShipmentsTable({
  kind,
  shipments,
  label,
  showOrder = false,
  mayMove = false,
}: {
  kind: ShipmentKind;
  shipments: readonly Shipment[];
  label: string;
  showOrder?: boolean;
  mayMove?: boolean;
}) {
  const { t } = useTranslation();
  const [moving, setMoving] = useState<{ shipment: Shipment; to: ShipmentState } | undefined>();
  return (
    <>
      <ScrollTable label={label} minWidth={showOrder ? 980 : 860}>
        <Table verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">
                {kind === 'remake' ? t('oem.fields.remakeNumber') : t('oem.fields.shipmentNumber')}
              </Table.Th>
              {showOrder && <Table.Th scope="col">{t('oem.fields.order')}</Table.Th>}
              {kind === 'remake' && <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>}
              <Table.Th scope="col" ta="right">
                {t('oem.fields.units')}
              </Table.Th>
              <Table.Th scope="col">{t('oem.fields.status')}</Table.Th>
              <Table.Th scope="col">{t('oem.fields.shipping')}</Table.Th>
              <Table.Th scope="col">{t('oem.shipment.tracking')}</Table.Th>
              {mayMove && <Table.Th scope="col">{t('oem.shipment.next')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shipments.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Th scope="row" ff="monospace" fw={500} className="nowrap">
                  {numberOf(s)}
                </Table.Th>
                {showOrder && (
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/oem/orders/${s.order.id}`}
                      ff="monospace"
                      size="sm"
                      className="nowrap"
                    >
                      {s.order.orderNumber}
                    </Anchor>
                  </Table.Td>
                )}
                {kind === 'remake' && 'lot' in s && (
                  <Table.Td ff="monospace" className="nowrap">
                    {s.lot}
                  </Table.Td>
                )}
                <Table.Td ta="right">
                  <Units count={s.units} />
                </Table.Td>
                <Table.Td>
                  <ShipmentStateBadge state={s.state} />
                </Table.Td>
                <Table.Td>
                  <ShippingBadge mode={s.shippingMode} />
                </Table.Td>
                <Table.Td>
                  <Tracking shipment={s} />
                </Table.Td>
                {mayMove && (
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {s.allowedMoves.map((to) => (
                        <Button
                          key={to}
                          size="xs"
                          variant="default"
                          aria-label={t(`oem.shipment.moveFor.${to}`, { number: numberOf(s) })}
                          onClick={() => {
                            setMoving({ shipment: s, to });
                          }}
                        >
                          {t(`oem.shipment.move.${to}`)}
                        </Button>
                      ))}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {moving && (
        <MoveDialog
          kind={kind}
          shipment={moving.shipment}
          to={moving.to}
          onClose={() => {
            setMoving(undefined);
          }}
        />
      )}
    </>
  );
}

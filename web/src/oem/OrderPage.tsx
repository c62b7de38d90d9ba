import {
  Anchor,
  Blockquote,
  Button,
  Card,
  Group,
  Progress,
  Radio,
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
import { Link, useLocation, useParams } from 'react-router';
import { ToneBadge } from '../components/Badges.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { Amount, ConflictNotice, Day, Done, Fact, useApiLanguage } from '../desk/ui.js';
import { isVersionConflict } from '../desk/desk-api.js';
import {
  type ExcessResolution,
  type Ledger,
  defectReportsQuery,
  ledgerQuery,
  type OemOrder,
  orderQuery,
  resolveExcess,
  type ResolveExcessRequest,
  uploadUrl,
  confirmOrder,
  declineOrder,
} from './oem-api.js';
import { ShipmentStateBadge, ShipmentsTable } from './shipments.js';
import {
  defectReporters,
  excessResolvers,
  Figure,
  LedgerStatusBadge,
  OemErrorAlert,
  oemStaff,
  CreditValue,
  remakeShippers,
  replacementShippers,
  SpareRate,
  OrderStateBadge,
  orderConfirmers,
  Units,
  useHasRole,
} from './ui.js';
import { percentToBps } from './NewOrderPage.js';

function OrderFacts({ order }: { order: OemOrder }) {
  const { t } = useTranslation();
  const staff = useHasRole(oemStaff);
  const lang = useApiLanguage();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="order-facts">
      <Title order={2} size="h4" id="order-facts" mb="sm">
        {t('oem.order.facts')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" mb="md">
        {staff && <Fact label={t('oem.fields.client')}>{order.client.name}</Fact>}
        <Fact label={t('oem.fields.product')}>
          {order.product.name[lang]} ({order.product.sku})
        </Fact>
        <Fact label={t('oem.fields.quantity')}>
          <Units count={order.quantity} />
        </Fact>
        <Fact label={t('oem.fields.state')}>
          <OrderStateBadge state={order.state} />
        </Fact>
        <Fact label={t('oem.fields.spareRate')}>
          {order.state === 'confirmed' ? <SpareRate bps={order.spareRateBps} /> : '—'}
        </Fact>
        <Fact label={t('oem.fields.spareUnits')}>
          <Text span fw={700}>
            <Units count={order.spareUnits} />
          </Text>{' '}
          <Text span size="xs" c="dark.6">
            {t('oem.order.sparesShipped')}
          </Text>
        </Fact>
        <Fact label={t('oem.fields.deliveryDate')}>
          <Day date={order.deliveryDate} />
        </Fact>
        <Fact label={t('oem.fields.windowEnds')}>
          <Day date={order.defectWindowEndsOn} />
        </Fact>
        <Fact label={t('oem.fields.unitPrice')}>
          <Amount money={order.unitPrice} />
        </Fact>
      </SimpleGrid>
      <ScrollTable label={t('oem.fields.lots')} minWidth={520}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('oem.fields.lotUnits')}
              </Table.Th>
              <Table.Th scope="col">{t('oem.fields.serials')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.lots.map((l) => (
              <Table.Tr key={l.lot}>
                <Table.Th scope="row" ff="monospace" fw={500}>
                  {l.lot}
                </Table.Th>
                <Table.Td ta="right">
                  <Units count={l.units} />
                </Table.Td>
                <Table.Td ff="monospace">
                  {l.serials ? `${l.serials.first} – ${l.serials.last}` : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Card>
  );
}

/** The order's bill once credits from earlier orders are applied, and the credits it gave and took. */
function CreditsAndBilling({ order }: { order: OemOrder }) {
  const { t } = useTranslation();
  const { applied, granted } = order.nextOrderCredits;
  const { billing } = order;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="order-credits">
      <Title order={2} size="h4" id="order-credits" mb="sm">
        {t('oem.order.credits')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" mb="md">
        <Fact label={t('oem.billing.orderValue')}>
          <Amount money={billing.orderValue} />
        </Fact>
        <Fact label={t('oem.billing.creditApplied')}>
          <Amount money={billing.creditApplied} />
        </Fact>
        <Fact label={t('oem.billing.amountDue')}>
          <Text span fw={700}>
            <Amount money={billing.amountDue} />
          </Text>
        </Fact>
        <Fact label={t('oem.billing.freeUnits')}>
          <Units count={billing.freeUnits} />
        </Fact>
      </SimpleGrid>
      <Stack gap="xs">
        {applied.length === 0 && granted.length === 0 && (
          <Text size="sm" c="dark.6">
            {t('oem.order.noCredits')}
          </Text>
        )}
        {applied.map((c) => (
          <Text key={c.id} size="sm" component="div" className="credit-line">
            <ToneBadge tone="teal" mr="xs">
              {t('oem.credit.appliedHere')}
            </ToneBadge>
            {t('oem.order.creditFrom')} <CreditValue credit={c.credit} /> ·{' '}
            <Anchor component={Link} to={`/oem/orders/${c.order.id}`} ff="monospace">
              {c.order.orderNumber}
            </Anchor>
          </Text>
        ))}
        {granted.map((c) => (
          <Text key={c.id} size="sm" component="div" className="credit-line">
            <ToneBadge tone={c.appliedTo ? 'teal' : 'grape'} mr="xs">
              {c.appliedTo ? t('oem.credit.applied') : t('oem.credit.open')}
            </ToneBadge>
            {t('oem.order.creditGiven')} <CreditValue credit={c.credit} />
            {c.appliedTo ? (
              <>
                {' → '}
                <Anchor component={Link} to={`/oem/orders/${c.appliedTo.id}`} ff="monospace">
                  {c.appliedTo.orderNumber}
                </Anchor>
              </>
            ) : (
              ` · ${t('oem.credit.waiting')}`
            )}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

function Shipments({ order }: { order: OemOrder }) {
  const { t } = useTranslation();
  const mayShipRemakes = useHasRole(remakeShippers);
  const mayShipReplacements = useHasRole(replacementShippers);
  return (
    <>
      {order.remakeOrders.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="order-remakes">
          <Title order={2} size="h4" id="order-remakes" mb="xs">
            {t('oem.remake.title')}
          </Title>
          <Text size="sm" c="dark.6" mb="sm">
            {t('oem.remake.intro')}
          </Text>
          <ShipmentsTable
            kind="remake"
            shipments={order.remakeOrders}
            label={t('oem.remake.title')}
            mayMove={mayShipRemakes}
          />
        </Card>
      )}
      {order.replacementShipments.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="order-replacements">
          <Title order={2} size="h4" id="order-replacements" mb="xs">
            {t('oem.replacement.title')}
          </Title>
          <Text size="sm" c="dark.6" mb="sm">
            {t('oem.replacement.intro')}
          </Text>
          <ShipmentsTable
            kind="replacement"
            shipments={order.replacementShipments}
            label={t('oem.replacement.title')}
            mayMove={mayShipReplacements}
          />
        </Card>
      )}
    </>
  );
}

function LedgerFigures({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  const used = ledger.allowance === 0 ? 0 : (ledger.coveredBySpares / ledger.allowance) * 100;
  const sparesUsed = t('oem.ledger.sparesUsed', {
    used: ledger.coveredBySpares,
    allowance: ledger.allowance,
    left: ledger.sparesLeft,
  });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
        <Figure label={t('oem.ledger.allowance')} value={ledger.allowance} />
        <Figure label={t('oem.ledger.defectsReported')} value={ledger.defectsReported} />
        <Figure
          label={t('oem.ledger.coveredBySpares')}
          value={ledger.coveredBySpares}
          tone={ledger.coveredBySpares > 0 ? 'teal' : undefined}
        />
        <Figure
          label={t('oem.ledger.excess')}
          value={ledger.excess}
          tone={ledger.excess > 0 ? 'red' : undefined}
          hint={
            ledger.excess === 0
              ? undefined
              : ledger.excessUnresolved === 0
                ? t('oem.ledger.excessAllChosen')
                : ledger.excessResolved === 0
                  ? t('oem.ledger.excessNoneChosen')
                  : t('oem.ledger.excessHint', {
                      resolved: ledger.excessResolved,
                      open: ledger.excessUnresolved,
                    })
          }
        />
        <Figure
          label={t('oem.ledger.awaitingQa')}
          value={ledger.awaitingQa}
          hint={ledger.awaitingQa > 0 ? t('oem.ledger.awaitingQaHint') : undefined}
        />
        {ledger.rejected > 0 && <Figure label={t('oem.ledger.rejected')} value={ledger.rejected} />}
        <Figure label={t('oem.ledger.outOfWindow')} value={ledger.outOfWindow} />
        <Figure
          label={t('oem.ledger.coveredByRemake')}
          value={ledger.coveredByRemake}
          tone={ledger.coveredByRemake > 0 ? 'blue' : undefined}
        />
      </SimpleGrid>
      <div>
        <Text size="sm" mb={4}>
          {sparesUsed}
        </Text>
        <Progress.Root size="lg">
          <Progress.Section
            value={used}
            color={ledger.excess > 0 ? 'red.8' : 'teal.8'}
            aria-label={sparesUsed}
          />
        </Progress.Root>
      </div>
      <Text size="sm" c="dark.6">
        {t('oem.ledger.window')} <Day date={ledger.windowEndsOn} />
      </Text>
    </Stack>
  );
}

function LedgerLines({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  // The reports carry their evidence files; the ledger's lines name the report.
  const reports = useQuery(defectReportsQuery(ledger.orderId));
  const evidenceOf = (reportId: string) =>
    reports.data?.find((r) => r.id === reportId)?.evidenceUploadIds ?? [];
  if (ledger.lines.length === 0) {
    return (
      <Text size="sm" c="dark.6">
        {t('oem.ledger.noReports')}
      </Text>
    );
  }
  return (
    <ScrollTable label={t('oem.ledger.linesTitle')} minWidth={860}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('oem.fields.reportedOn')}</Table.Th>
            <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
            <Table.Th scope="col">{t('oem.fields.failureMode')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('oem.fields.units')}
            </Table.Th>
            <Table.Th scope="col">{t('oem.ledger.where')}</Table.Th>
            <Table.Th scope="col">{t('oem.fields.evidence')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ledger.lines.map((line) => (
            <Table.Tr key={line.reportId}>
              <Table.Td>
                <Day date={line.reportedOn} />
              </Table.Td>
              <Table.Td ff="monospace">{line.lot}</Table.Td>
              <Table.Td>{line.failureMode}</Table.Td>
              <Table.Td ta="right">
                <Units count={line.units} />
              </Table.Td>
              <Table.Td>
                <LedgerStatusBadge status={line.status} />
                {line.status === 'partly_excess' && (
                  <Text size="xs" c="dark.6" mt={2}>
                    {t('oem.ledger.split', { spares: line.coveredBySpares, excess: line.excess })}
                  </Text>
                )}
                {line.awaitingQa > 0 && (
                  <Text size="xs" c="dark.6" mt={2}>
                    {t('oem.ledger.awaitingSplit', {
                      spares: line.coveredBySpares,
                      waiting: line.awaitingQa,
                    })}
                  </Text>
                )}
                {line.rmaNumber && (
                  <Text size="xs" mt={2}>
                    {t('oem.ledger.returnUnder')}{' '}
                    <Text span ff="monospace">
                      {line.rmaNumber}
                    </Text>
                  </Text>
                )}
                {line.rejected > 0 && (
                  <Text size="xs" c="red.9" mt={2}>
                    {t('oem.ledger.rejectedBecause', {
                      count: line.rejected,
                      reason: line.rejectionReason ?? '',
                    })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {evidenceOf(line.reportId).length === 0
                  ? '—'
                  : evidenceOf(line.reportId).map((uploadId, i) => (
                      <Anchor
                        key={uploadId}
                        href={uploadUrl(uploadId)}
                        target="_blank"
                        rel="noopener"
                        size="sm"
                        mr="xs"
                        aria-label={t('oem.ledger.evidenceOf', { n: i + 1, date: line.reportedOn })}
                      >
                        {t('oem.ledger.evidenceN', { n: i + 1 })}
                      </Anchor>
                    ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

type Choice = 'replacement_shipment' | 'credit_units' | 'credit_money';

/** The client's remedy for the excess no remedy was chosen for yet (policy clause OEM 1). */
function RemedyChoice({
  order,
  ledger,
  onChosen,
}: {
  order: OemOrder;
  ledger: Ledger;
  onChosen: (chosen: ExcessResolution) => void;
}) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<Choice | ''>('');
  const [units, setUnits] = useState(String(ledger.excessUnresolved));
  const [problem, setProblem] = useState<string | undefined>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [conflict, setConflict] = useState(false);
  const offered = ledger.remediesOffered.map((r) => r.code);
  const resolve = useMutation({
    mutationFn: (body: ResolveExcessRequest) => resolveExcess(order.id, body, key),
    onSuccess: async (chosen) => {
      setKey(crypto.randomUUID());
      setChoice('');
      onChosen(chosen);
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
    },
    onError: async (error) => {
      if (isVersionConflict(error)) {
        setConflict(true);
        await queryClient.invalidateQueries({ queryKey: ['oem'] });
      }
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const n = /^\d{1,9}$/.test(units.trim()) ? Number(units.trim()) : undefined;
    if (!choice) {
      setProblem(t('oem.remedy.chooseOne'));
      return;
    }
    if (!n || n > ledger.excessUnresolved) {
      setProblem(t('oem.remedy.unitsInvalid', { max: ledger.excessUnresolved }));
      return;
    }
    setProblem(undefined);
    setConflict(false);
    const expectedVersion = ledger.version;
    resolve.mutate(
      choice === 'replacement_shipment'
        ? { remedy: 'replacement_shipment', units: n, expectedVersion }
        : {
            remedy: 'next_order_credit',
            credit: choice === 'credit_money' ? 'money' : 'units',
            units: n,
            expectedVersion,
          },
    );
  };

  const name = (code: 'replacement_shipment' | 'next_order_credit') =>
    ledger.remediesOffered.find((r) => r.code === code)?.name[lang] ?? t(`oem.remedy.${code}`);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="remedy-title" className="remedy-card">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="remedy-title">
            {t('oem.remedy.title')}
          </Title>
          <Text size="sm">{t('oem.remedy.intro', { count: ledger.excessUnresolved })}</Text>
          <Blockquote color="blue" p="sm" cite={t('oem.remedy.clauseCite')}>
            {ledger.clauses.excess}
          </Blockquote>
          {conflict && (
            <ConflictNotice
              onClose={() => {
                setConflict(false);
              }}
            />
          )}
          {resolve.isError && !isVersionConflict(resolve.error) && <OemErrorAlert error={resolve.error} />}
          <Radio.Group
            name="remedy"
            label={t('oem.remedy.which')}
            required
            value={choice}
            onChange={(v) => {
              setChoice(v);
            }}
            error={problem && !choice ? problem : undefined}
          >
            <Stack gap="xs" mt="xs">
              {offered.includes('replacement_shipment') && (
                <Radio
                  value="replacement_shipment"
                  label={name('replacement_shipment')}
                  description={t('oem.remedy.replacementHint')}
                />
              )}
              {offered.includes('next_order_credit') && (
                <>
                  <Radio
                    value="credit_units"
                    label={`${name('next_order_credit')} · ${t('oem.remedy.inUnits')}`}
                    description={t('oem.remedy.creditUnitsHint')}
                  />
                  <Radio
                    value="credit_money"
                    disabled={!order.unitPrice}
                    label={`${name('next_order_credit')} · ${t('oem.remedy.inMoney')}`}
                    description={
                      order.unitPrice ? t('oem.remedy.creditMoneyHint') : t('oem.remedy.creditMoneyNoPrice')
                    }
                  />
                </>
              )}
            </Stack>
          </Radio.Group>
          <TextInput
            name="units"
            label={t('oem.remedy.units')}
            description={t('oem.remedy.unitsHint', { max: ledger.excessUnresolved })}
            inputMode="numeric"
            value={units}
            error={problem && choice ? problem : undefined}
            onChange={(e) => {
              setUnits(e.currentTarget.value);
            }}
            w={220}
            autoComplete="off"
          />
          <Group>
            <Button
              type="submit"
              loading={resolve.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('oem.remedy.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Resolutions({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  if (ledger.resolutions.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('oem.remedy.chosenTitle')}
      </Title>
      {ledger.resolutions.map((r) => (
        <Text key={r.id} size="sm" component="div">
          <ToneBadge tone={r.remedy === 'replacement_shipment' ? 'blue' : 'grape'} mr="xs">
            {t(`oem.remedy.${r.remedy}`)}
          </ToneBadge>
          <Units count={r.units} />
          {r.replacementShipment && (
            <>
              {' · '}
              <Text span ff="monospace" size="sm">
                {r.replacementShipment.shipmentNumber}
              </Text>{' '}
              <ShipmentStateBadge state={r.replacementShipment.state} />
            </>
          )}
          {r.credit && (
            <>
              {' · '}
              <CreditValue credit={r.credit} />
              {' · '}
              {r.appliedTo ? (
                <>
                  {t('oem.credit.appliedTo')}{' '}
                  <Anchor component={Link} to={`/oem/orders/${r.appliedTo.id}`} ff="monospace">
                    {r.appliedTo.orderNumber}
                  </Anchor>
                </>
              ) : (
                t('oem.credit.waiting')
              )}
            </>
          )}
        </Text>
      ))}
    </Stack>
  );
}

/** One OEM order: its spares and lots, its bill and credits, its defect ledger and the remedy for excess. */
/**
 * A request as it waits: the client reads that sales will confirm it at the contract price; sales
 * confirm it with the spare rate (the price comes from the price list, not from here) or decline it
 * with a reason the client reads.
 */
function RequestPanel({ order }: { order: OemOrder }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mayConfirm = useHasRole(orderConfirmers);
  const [rate, setRate] = useState('0.5');
  const [delivery, setDelivery] = useState(order.deliveryDate);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: ['oem'] });
  };
  const confirm = useMutation({
    mutationFn: (bps: number) =>
      confirmOrder(order.id, { spareRateBps: bps, deliveryDate: delivery, expectedVersion: order.version }),
    onSuccess: done,
  });
  const decline = useMutation({
    mutationFn: () => declineOrder(order.id, { reason: reason.trim(), expectedVersion: order.version }),
    onSuccess: done,
  });
  if (order.state === 'declined') {
    return (
      <Card withBorder padding="lg" component="section" aria-labelledby="order-declined">
        <Title order={2} size="h4" id="order-declined" mb="xs">
          {t('oem.request.declinedTitle')}
        </Title>
        <Text>{order.declineReason}</Text>
      </Card>
    );
  }
  if (order.state !== 'requested') return null;
  if (!mayConfirm) {
    return (
      <Card
        withBorder
        padding="lg"
        component="section"
        aria-labelledby="order-waiting"
        className="waiting-card"
      >
        <Title order={2} size="h4" id="order-waiting" mb="xs">
          {t('oem.request.waitingTitle')}
        </Title>
        <Text size="sm">{t('oem.request.waiting')}</Text>
      </Card>
    );
  }
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const bps = percentToBps(rate);
    if (bps === undefined) {
      setProblem(t('oem.request.rateInvalid'));
      return;
    }
    setProblem(undefined);
    confirm.mutate(bps);
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="order-confirm">
      <Title order={2} size="h4" id="order-confirm" mb="xs">
        {t('oem.request.confirmTitle')}
      </Title>
      <Text size="sm" c="dark.6" mb="sm">
        {t('oem.request.confirmIntro')}
      </Text>
      <Stack gap="md">
        {confirm.isError && <OemErrorAlert error={confirm.error} />}
        {decline.isError && <OemErrorAlert error={decline.error} />}
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              name="spareRate"
              label={t('oem.fields.spareRatePercent')}
              description={t('oem.request.rateHint')}
              inputMode="decimal"
              required
              value={rate}
              error={problem}
              onChange={(e) => {
                setRate(e.currentTarget.value);
              }}
              autoComplete="off"
              w={200}
            />
            <TextInput
              type="date"
              name="deliveryDate"
              label={t('oem.fields.deliveryDate')}
              value={delivery}
              onChange={(e) => {
                setDelivery(e.currentTarget.value);
              }}
              w={200}
            />
            <Button
              type="submit"
              loading={confirm.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('oem.request.confirm')}
            </Button>
          </Group>
        </form>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim()) decline.mutate();
          }}
          noValidate
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              name="declineReason"
              label={t('oem.request.declineReason')}
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
              }}
              autoComplete="off"
              w={360}
            />
            <Button
              type="submit"
              variant="default"
              color="red"
              disabled={!reason.trim()}
              loading={decline.isPending}
            >
              {t('oem.request.decline')}
            </Button>
          </Group>
        </form>
      </Stack>
    </Card>
  );
}

export default function OrderPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { id = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const order = useQuery(orderQuery(id));
  const ledger = useQuery(ledgerQuery(id, lang));
  const mayReport = useHasRole(defectReporters);
  const mayResolve = useHasRole(excessResolvers);
  const [chosen, setChosen] = useState<ExcessResolution | undefined>();
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/oem/orders" size="sm">
        ← {t('oem.order.back')}
      </Anchor>
      {order.isPending ? (
        <PageLoader />
      ) : order.isError ? (
        <LoadError error={order.error} onRetry={() => void order.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>{t('oem.order.title', { number: order.data.orderNumber })}</Title>
              <Text mt="xs" c="dark.6">
                {order.data.product.name[lang]} · <Units count={order.data.quantity} /> ·{' '}
                {t('oem.order.withSpares', { count: order.data.spareUnits })}
              </Text>
            </div>
            {mayReport && order.data.state === 'confirmed' && (
              <Button component={Link} to={`/oem/report?order=${order.data.id}`} variant="default">
                {t('oem.portal.nav.report')}
              </Button>
            )}
          </Group>
          {created && (
            <Done title={t('oem.order.createdTitle', { number: order.data.orderNumber })}>
              {t('oem.order.requested')}
              {order.data.nextOrderCredits.applied.length > 0 &&
                ` ${t('oem.order.createdWithCredits', { count: order.data.nextOrderCredits.applied.length })}`}
            </Done>
          )}
          <RequestPanel order={order.data} />
          <OrderFacts order={order.data} />
          {order.data.state === 'confirmed' && <CreditsAndBilling order={order.data} />}
          {order.data.state === 'confirmed' && (
            <Card withBorder padding="lg" component="section" aria-labelledby="ledger-title">
              <Title order={2} size="h4" id="ledger-title" mb="sm">
                {t('oem.ledger.title')}
              </Title>
              {ledger.isPending ? (
                <PageLoader />
              ) : ledger.isError ? (
                <LoadError error={ledger.error} onRetry={() => void ledger.refetch()} />
              ) : (
                <Stack gap="lg">
                  <LedgerFigures ledger={ledger.data} />
                  <Title order={3} size="h5">
                    {t('oem.ledger.linesTitle')}
                  </Title>
                  <LedgerLines ledger={ledger.data} />
                  <Resolutions ledger={ledger.data} />
                </Stack>
              )}
            </Card>
          )}
          {ledger.data && ledger.data.excessUnresolved > 0 && mayResolve && (
            <RemedyChoice
              key={ledger.data.version}
              order={order.data}
              ledger={ledger.data}
              onChosen={setChosen}
            />
          )}
          {chosen && (
            <Done title={t('oem.remedy.doneTitle')}>
              {chosen.remedy === 'replacement_shipment'
                ? t('oem.remedy.doneReplacement', { count: chosen.units })
                : t('oem.remedy.doneCredit')}
            </Done>
          )}
          <Shipments order={order.data} />
        </>
      )}
    </Stack>
  );
}

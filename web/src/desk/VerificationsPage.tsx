import {
  Anchor,
  Button,
  Card,
  Group,
  Image,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { policyLanguage } from '../i18n/index.js';
import { dealersQuery } from '../parties.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { type Purchase, uploadUrl, verificationQueueQuery, verifyPurchase } from './desk-api.js';
import { dealerName } from '../parties.js';
import { ConflictNotice, Day, DayOf, DeskErrorAlert, Done, Fact, PageHeader } from './ui.js';

type Action = 'confirm' | 'correct' | 'reject';

/** Someone else checked it first: the queue is read again. */
const checkedElsewhere = (error: Error) => error instanceof ApiError && error.code === 'PURCHASE_NOT_PENDING';

/** The proof itself, large enough to read a till receipt; a PDF opens in its own tab. */
function Proof({ purchase, height = 420 }: { purchase: Purchase; height?: number }) {
  const { t } = useTranslation();
  if (!purchase.proofUploadId || !purchase.proof) {
    return <Text c="dimmed">{t('desk.verify.noProof')}</Text>;
  }
  const url = uploadUrl(purchase.proofUploadId);
  if (purchase.proof.mediaType === 'application/pdf') {
    return (
      <Anchor href={url} target="_blank" rel="noopener">
        {t('desk.verify.openProof')}
      </Anchor>
    );
  }
  return (
    <Stack gap={4}>
      <Image
        src={url}
        alt={t('desk.verify.proofAlt', { serial: purchase.serial ?? purchase.product.sku })}
        fit="contain"
        mah={height}
        radius="sm"
        className="proof-image"
      />
      <Anchor href={url} target="_blank" rel="noopener" size="sm">
        {t('desk.verify.openProof')}
      </Anchor>
    </Stack>
  );
}

function DecideDialog({
  purchase,
  action,
  canChangeDealer,
  onClose,
  onDone,
  onConflict,
}: {
  purchase: Purchase;
  action: Action;
  canChangeDealer: boolean;
  onClose: () => void;
  onDone: (p: Purchase, action: Action) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const dealers = useQuery({ ...dealersQuery, enabled: action === 'correct' && canChangeDealer });
  const [purchaseDate, setPurchaseDate] = useState(purchase.purchaseDate);
  const [dealerId, setDealerId] = useState(purchase.dealer?.id ?? '');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const decide = useMutation({
    mutationFn: () =>
      verifyPurchase(
        purchase.id,
        action === 'confirm'
          ? { decision: 'confirm' }
          : action === 'reject'
            ? { decision: 'reject', reason: reason.trim() }
            : {
                decision: 'correct',
                ...(purchaseDate !== purchase.purchaseDate ? { purchaseDate } : {}),
                ...(canChangeDealer && dealerId && dealerId !== purchase.dealer?.id ? { dealerId } : {}),
              },
      ),
    onSuccess: async (done) => {
      onDone(done, action);
      await queryClient.invalidateQueries({ queryKey: verificationQueueQuery.queryKey });
    },
    onError: async (error) => {
      if (!checkedElsewhere(error)) return;
      await queryClient.invalidateQueries({ queryKey: verificationQueueQuery.queryKey });
      onConflict();
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (action === 'reject' && reason.trim() === '') {
      setMissing(true);
      return;
    }
    decide.mutate();
  };
  return (
    <Modal
      opened
      centered
      size="lg"
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t(`desk.verify.dialog.${action}`, { serial: purchase.serial ?? purchase.product.sku })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {decide.isError && <DeskErrorAlert error={decide.error} />}
          {action === 'confirm' && <Text size="sm">{t('desk.verify.confirmHint')}</Text>}
          {action === 'correct' && (
            <>
              <Text size="sm">{t('desk.verify.correctHint')}</Text>
              {/* The proof stays in sight while its date is read off it. */}
              <Proof purchase={purchase} height={240} />
              <TextInput
                type="date"
                name="purchaseDate"
                label={t('desk.fields.purchaseDate')}
                value={purchaseDate}
                onChange={(e) => {
                  setPurchaseDate(e.currentTarget.value);
                }}
              />
              {canChangeDealer && (
                <NativeSelect
                  name="dealerId"
                  label={t('desk.fields.dealer')}
                  value={dealerId}
                  onChange={(e) => {
                    setDealerId(e.currentTarget.value);
                  }}
                  data={[
                    ...(purchase.dealer ? [] : [{ value: '', label: t('desk.verify.noDealer') }]),
                    ...(dealers.data ?? []).map((d) => ({ value: d.id, label: d.name })),
                  ]}
                />
              )}
            </>
          )}
          {action === 'reject' && (
            <Textarea
              name="reason"
              label={t('desk.verify.reason')}
              description={t('desk.verify.reasonHint')}
              required
              autosize
              minRows={3}
              maxLength={500}
              value={reason}
              error={missing ? t('desk.verify.reasonRequired') : undefined}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setMissing(false);
              }}
            />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={action === 'reject' ? 'red' : undefined}
              loading={decide.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t(`desk.verify.submit.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Registration({ purchase, onAction }: { purchase: Purchase; onAction: (action: Action) => void }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const label = purchase.serial ?? purchase.product.sku;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={`reg-${purchase.id}`}>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <Title order={2} size="h4" id={`reg-${purchase.id}`}>
            {purchase.product.name[lang]} · {label}
          </Title>
          <SimpleGrid cols={2} spacing="sm">
            <Fact label={t('desk.fields.purchaseDate')}>
              <Day date={purchase.purchaseDate} />
            </Fact>
            <Fact label={t('desk.fields.dealer')}>
              {purchase.dealer ? dealerName(purchase.dealer, lang) : t('desk.verify.noDealer')}
            </Fact>
            <Fact label={t('desk.fields.serial')}>{purchase.serial ?? '—'}</Fact>
            <Fact label={t('desk.fields.product')}>{purchase.product.sku}</Fact>
            <Fact label={t('desk.fields.buyer')}>
              {purchase.buyer.name ?? '—'}
              {purchase.buyer.email && <Text size="xs">{purchase.buyer.email}</Text>}
              {purchase.buyer.phone && <Text size="xs">{purchase.buyer.phone}</Text>}
            </Fact>
            <Fact label={t('desk.verify.registeredOn')}>
              <DayOf at={purchase.createdAt} />
            </Fact>
            <Fact label={t('desk.verify.madeOn')}>
              {purchase.unitMadeOn ? <Day date={purchase.unitMadeOn} /> : t('desk.verify.madeOnUnknown')}
            </Fact>
          </SimpleGrid>
          <Group gap="sm" mt="sm">
            <Button
              onClick={() => {
                onAction('confirm');
              }}
            >
              {t('desk.verify.action.confirm')}
            </Button>
            <Button
              variant="default"
              onClick={() => {
                onAction('correct');
              }}
            >
              {t('desk.verify.action.correct')}
            </Button>
            <Button
              variant="outline"
              color="red"
              onClick={() => {
                onAction('reject');
              }}
            >
              {t('desk.verify.action.reject')}
            </Button>
          </Group>
        </Stack>
        <Stack gap="xs">
          <Text size="xs" c="dark.6" fw={600}>
            {t('desk.verify.proof')}
          </Text>
          <Proof purchase={purchase} />
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

/**
 * Customers' own registrations waiting for a check, oldest first, each with its proof beside what the
 * customer said: support sees all, a dealer those naming it. Until one is confirmed, no refund,
 * replacement or free repair is carried out on it.
 */
export default function VerificationsPage({ canChangeDealer }: { canChangeDealer: boolean }) {
  const { t } = useTranslation();
  const rows = useQuery(verificationQueueQuery);
  const [acting, setActing] = useState<{ purchase: Purchase; action: Action } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [done, setDone] = useState<{ purchase: Purchase; action: Action } | null>(null);
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.verify.title')} intro={t('desk.verify.intro')} />
      {conflict && (
        <ConflictNotice
          onClose={() => {
            setConflict(false);
          }}
        />
      )}
      {done && (
        <Done
          title={t(`desk.verify.done.${done.action}`, {
            serial: done.purchase.serial ?? done.purchase.product.sku,
          })}
        />
      )}
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('desk.verify.none')}</Text>
      ) : (
        rows.data.map((p) => (
          <Registration
            key={p.id}
            purchase={p}
            onAction={(action) => {
              setDone(null);
              setActing({ purchase: p, action });
            }}
          />
        ))
      )}
      {acting && (
        <DecideDialog
          purchase={acting.purchase}
          action={acting.action}
          canChangeDealer={canChangeDealer}
          onClose={() => {
            setActing(null);
          }}
          onDone={(p, action) => {
            setActing(null);
            setDone({ purchase: p, action });
          }}
          onConflict={() => {
            setActing(null);
            setConflict(true);
          }}
        />
      )}
    </Stack>
  );
}

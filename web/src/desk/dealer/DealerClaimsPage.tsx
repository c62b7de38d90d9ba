import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  type Claim,
  claimsQuery,
  type DealerRemedyRequest,
  performDealerRemedy,
  reimbursementsListKey,
} from '../desk-api.js';
import { currencies, formatMoney, parseAmount } from '../money.js';
import {
  ClaimDecision,
  ClaimStatusBadge,
  Day,
  DeskErrorAlert,
  Done,
  PageHeader,
  ProductCell,
  VerificationBadge,
  useApiLanguage,
} from '../ui.js';

type Kind = 'refund' | 'replacement';

/** The counter remedies the claim's decision offers at the dealer, while the claim is still to be settled. */
function dealerRemedies(claim: Claim): Kind[] {
  if (claim.status !== 'open' && claim.status !== 'remedy_chosen') return [];
  return claim.decision.remedies
    .filter((r) => r.performedBy === 'dealer')
    .map((r) => r.code)
    .filter((code): code is Kind => code === 'refund' || code === 'replacement')
    .filter((code) => claim.chosenRemedy === null || claim.chosenRemedy === code);
}

type Draft = { returnedSerial: string; replacementSerial: string; amount: string; currency: string };

function RemedyDialog({
  claim,
  kind,
  onClose,
  onDone,
}: {
  claim: Claim;
  kind: Kind;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    returnedSerial: claim.serial ?? '',
    replacementSerial: '',
    amount: '',
    currency: 'CNY',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const perform = useMutation({
    mutationFn: (body: DealerRemedyRequest) => performDealerRemedy(claim.id, body, lang),
    onSuccess: async (remedy) => {
      const asked = remedy.reimbursement.amount;
      const done =
        remedy.approval === 'awaiting'
          ? t('desk.remedy.done.refundAwaiting')
          : asked
            ? t(`desk.remedy.done.${kind}`, { amount: formatMoney(asked, i18n.language) })
            : t(`desk.remedy.done.${kind}NoAmount`);
      // A new unit carries on the sale's warranty: the counter tells the customer so.
      onDone(
        kind === 'replacement'
          ? `${done} ${t('desk.remedy.warrantyCarriesOn', { date: remedy.warrantyFrom })}`
          : done,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['desk', 'claims'] }),
        queryClient.invalidateQueries({ queryKey: reimbursementsListKey }),
      ]);
    },
    onError: () => queryClient.invalidateQueries({ queryKey: ['desk', 'claims'] }),
  });
  const offered = claim.decision.remedies.find((r) => r.code === kind);
  const set = (field: keyof Draft) => (e: { currentTarget: { value: string } }) => {
    setDraft({ ...draft, [field]: e.currentTarget.value });
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: typeof errors = {};
    const amountMinor = draft.amount.trim() === '' ? undefined : parseAmount(draft.amount, draft.currency);
    if (kind === 'refund' && amountMinor === undefined) problems.amount = t('desk.remedy.amountRequired');
    if (draft.amount.trim() !== '' && amountMinor === undefined) problems.amount = t('desk.money.invalid');
    if (kind === 'replacement' && draft.replacementSerial.trim() === '') {
      problems.replacementSerial = t('desk.remedy.newSerialRequired');
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const returnedSerial = draft.returnedSerial.trim() || undefined;
    const money = amountMinor === undefined ? undefined : { amountMinor, currency: draft.currency };
    if (kind === 'refund' && money) perform.mutate({ kind, returnedSerial, refund: money });
    if (kind === 'replacement') {
      perform.mutate({
        kind,
        returnedSerial,
        replacementSerial: draft.replacementSerial.trim(),
        reimbursement: money,
      });
    }
  };

  return (
    <Modal
      opened
      size="lg"
      centered
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t(`desk.remedy.title.${kind}`, { product: claim.product.name[lang] })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {offered && (
            <Text size="sm" c="dark.7">
              {offered.clause}
            </Text>
          )}
          {perform.isError && <DeskErrorAlert error={perform.error} />}
          <SimpleGrid cols={{ base: 1, sm: kind === 'replacement' ? 2 : 1 }} spacing="md">
            <TextInput
              name="returnedSerial"
              label={t('desk.remedy.returnedSerial')}
              value={draft.returnedSerial}
              onChange={set('returnedSerial')}
              autoComplete="off"
            />
            {kind === 'replacement' && (
              <TextInput
                name="replacementSerial"
                label={t('desk.remedy.newSerial')}
                required
                value={draft.replacementSerial}
                error={errors.replacementSerial}
                onChange={set('replacementSerial')}
                autoComplete="off"
              />
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              name="amount"
              inputMode="decimal"
              label={kind === 'refund' ? t('desk.remedy.refundAmount') : t('desk.remedy.askedBack')}
              description={kind === 'refund' ? t('desk.remedy.refundHint') : t('desk.remedy.askedBackHint')}
              required={kind === 'refund'}
              value={draft.amount}
              error={errors.amount}
              onChange={set('amount')}
              autoComplete="off"
            />
            <NativeSelect
              name="currency"
              label={t('desk.money.currency')}
              value={draft.currency}
              onChange={set('currency')}
              data={[...currencies]}
            />
          </SimpleGrid>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={perform.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t(`desk.remedy.submit.${kind}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The claims on a dealer's sales; where the decision offers it, the refund or replacement at the counter. */
export default function DealerClaimsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const claims = useQuery(claimsQuery(lang));
  const [acting, setActing] = useState<{ claim: Claim; kind: Kind } | null>(null);
  const [shown, setShown] = useState<Claim | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.dealerClaims.title')} intro={t('desk.dealerClaims.intro')} />
      {done && <Done title={t('desk.remedy.doneTitle')}>{done}</Done>}
      {claims.isPending ? (
        <PageLoader />
      ) : claims.isError ? (
        <LoadError error={claims.error} onRetry={() => void claims.refetch()} />
      ) : claims.data.length === 0 ? (
        <Text c="dimmed">{t('desk.dealerClaims.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.dealerClaims.title')} minWidth={860}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.reportedOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.window')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.data.map((claim) => {
                const kinds = dealerRemedies(claim);
                const product = claim.product.name[lang];
                return (
                  <Table.Tr key={claim.id}>
                    <Table.Td>
                      <ProductCell product={claim.product} serial={claim.serial} />
                    </Table.Td>
                    <Table.Td>
                      <Day date={claim.reportedOn} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`window.${claim.decision.window}`)}</Text>
                      <Text size="xs" c="dark.6">
                        {t('desk.decision.days', { count: claim.decision.daysSincePurchase })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ClaimStatusBadge status={claim.status} />
                      <VerificationBadge state={claim.purchaseVerification} />
                      {claim.chosenRemedy && (
                        <Text size="xs" c="dark.6" mt={4}>
                          {t('desk.fields.chosen')}: {t(`remedy.${claim.chosenRemedy}`)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {kinds.map((kind) => (
                          <Button
                            key={kind}
                            size="compact-sm"
                            aria-label={t(`desk.remedy.actionNamed.${kind}`, { product })}
                            onClick={() => {
                              setDone(null);
                              setActing({ claim, kind });
                            }}
                          >
                            {t(`desk.remedy.action.${kind}`)}
                          </Button>
                        ))}
                        <Button
                          size="compact-sm"
                          variant="default"
                          aria-label={t('desk.claims.detailsNamed', { product })}
                          onClick={() => {
                            setShown(claim);
                          }}
                        >
                          {t('desk.claims.details')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="default"
                          component={Link}
                          to={`/desk/dealer/conversations/${claim.id}`}
                          aria-label={t('service.conversation.openConversationNamed', { product })}
                        >
                          {t('service.conversation.openConversation')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {acting && (
        <RemedyDialog
          claim={acting.claim}
          kind={acting.kind}
          onClose={() => {
            setActing(null);
          }}
          onDone={(message) => {
            setActing(null);
            setDone(message);
          }}
        />
      )}
      {shown && (
        <Modal
          opened
          size="lg"
          centered
          onClose={() => {
            setShown(null);
          }}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          title={shown.product.name[lang]}
        >
          <Stack gap="sm">
            <Text size="sm">
              <Text span fw={600}>
                {t('desk.fields.description')}:
              </Text>{' '}
              {shown.description}
            </Text>
            <ClaimDecision claim={shown} />
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}

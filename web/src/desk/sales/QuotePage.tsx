import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { QuoteDocuments } from '../../components/Documents.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  claimQuery,
  isVersionConflict,
  moveQuote,
  type Quote,
  type QuoteMove,
  quoteQuery,
  quotesListKey,
  quotesQuery,
  recordPhoneResponse,
} from '../desk-api.js';
import { useMe } from '../../session.js';
import {
  Amount,
  ConflictNotice,
  DayOf,
  DeskErrorAlert,
  Done,
  Fact,
  readableTitle,
  useApiLanguage,
} from '../ui.js';
import { QuoteStateBadge } from './quote-ui.js';

/** The moves sales makes, by the state each leads to; accepting and declining are the customer's. */
const moves: readonly { to: Quote['state']; move: QuoteMove }[] = [
  { to: 'sent', move: 'send' },
  { to: 'repaired', move: 'repaired' },
  { to: 'invoiced', move: 'invoice' },
];

function Lines({ quote }: { quote: Quote }) {
  const { t, i18n } = useTranslation();
  return (
    <ScrollTable label={t('desk.quotes.lines')} minWidth={560}>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('desk.quotes.description')}</Table.Th>
            <Table.Th scope="col">{t('desk.quotes.kind')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('desk.quotes.quantity')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('desk.quotes.unitPrice')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('desk.quotes.lineTotal')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {quote.lines.map((line, i) => (
            <Table.Tr key={i}>
              <Table.Td>{line.description}</Table.Td>
              <Table.Td>{t(`desk.quotes.${line.kind}`)}</Table.Td>
              <Table.Td ta="right">
                {line.quantity.toLocaleString(i18n.language, { maximumFractionDigits: 1 })}
              </Table.Td>
              <Table.Td ta="right">
                <Amount money={line.unitPrice} />
              </Table.Td>
              <Table.Td ta="right">
                <Amount money={line.lineTotal} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={4} ta="right">
              {t('desk.quotes.total')}
            </Table.Th>
            <Table.Td ta="right" fw={700}>
              <Amount money={quote.total} />
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </ScrollTable>
  );
}

/**
 * The customer answered on the phone: sales record it, with what was said. The same rules as the
 * customer's own answer hold on the server (a sent quote, at the version read).
 */
function PhoneAnswer({ quote, onAnswered }: { quote: Quote; onAnswered: (answered: Quote) => void }) {
  const { t } = useTranslation();
  const [response, setResponse] = useState<'accept' | 'decline' | ''>('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const record = useMutation({
    mutationFn: (body: { response: 'accept' | 'decline'; note: string }) =>
      recordPhoneResponse(quote.id, { ...body, expectedVersion: quote.version }),
    onSuccess: onAnswered,
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (response === '' || note.trim() === '' || record.isPending) return;
    record.mutate({ response, note: note.trim() });
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="phone-answer">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="phone-answer">
            {t('desk.quotes.phone.title')}
          </Title>
          <Text size="sm">
            {t('desk.quotes.phone.callWho', {
              name: quote.customer.name,
              phone: quote.customer.phone ?? quote.customer.email ?? '—',
            })}
          </Text>
          {record.isError && <DeskErrorAlert error={record.error} />}
          <Radio.Group
            name="phoneResponse"
            label={t('desk.quotes.phone.answer')}
            required
            value={response}
            error={tried && response === '' ? t('desk.quotes.phone.chooseAnswer') : undefined}
            onChange={(value) => {
              setResponse(value === 'accept' || value === 'decline' ? value : '');
            }}
          >
            <Group gap="lg" mt={4}>
              <Radio value="accept" label={t('desk.quotes.phone.accepted')} />
              <Radio value="decline" label={t('desk.quotes.phone.declined')} />
            </Group>
          </Radio.Group>
          <Textarea
            name="phoneNote"
            label={t('desk.quotes.phone.note')}
            description={t('desk.quotes.phone.noteHint')}
            required
            autosize
            minRows={2}
            maxLength={1000}
            value={note}
            error={tried && note.trim() === '' ? t('desk.quotes.phone.noteRequired') : undefined}
            onChange={(e) => {
              setNote(e.currentTarget.value);
            }}
          />
          <Group>
            <Button
              type="submit"
              loading={record.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('desk.quotes.phone.record')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** One quote: its lines and total, where it stands, and the next move sales can make. */
export default function QuotePage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const { id = '' } = useParams();
  const quote = useQuery(quoteQuery(id));
  const claimId = quote.data?.claimId ?? '';
  const claim = useQuery({ ...claimQuery(claimId, lang), enabled: claimId !== '' });
  const [conflict, setConflict] = useState(false);
  const [done, setDone] = useState<QuoteMove | null>(null);
  const [answered, setAnswered] = useState(false);
  const me = useMe();
  const takesCalls = me.data?.role === 'sales' || me.data?.role === 'admin';
  const move = useMutation({
    mutationFn: ({ quote: q, move: m }: { quote: Quote; move: QuoteMove }) => moveQuote(q.id, m, q.version),
    onSuccess: async (moved, { move: m }) => {
      queryClient.setQueryData(quoteQuery(id).queryKey, moved);
      setDone(m);
      await queryClient.invalidateQueries({ queryKey: quotesQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: quotesListKey });
    },
    onError: async (error) => {
      if (!isVersionConflict(error)) return;
      setConflict(true);
      await queryClient.invalidateQueries({ queryKey: quoteQuery(id).queryKey });
    },
  });

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/desk/sales/quotes" size="sm">
        ← {t('desk.quotes.back')}
      </Anchor>
      {quote.isPending ? (
        <PageLoader />
      ) : quote.isError ? (
        <LoadError error={quote.error} onRetry={() => void quote.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>
                {claim.data
                  ? t('desk.quotes.titleFor', { product: claim.data.product.name[lang] })
                  : t('desk.quotes.quote')}
              </Title>
              <Text mt="xs" c="dark.6">
                {[claim.data?.serial, quote.data.maintenanceNumber].filter(Boolean).join(' · ')}
              </Text>
            </div>
            <QuoteStateBadge state={quote.data.state} />
          </Group>
          {conflict && (
            <ConflictNotice
              onClose={() => {
                setConflict(false);
              }}
            />
          )}
          {move.isError && !isVersionConflict(move.error) && <DeskErrorAlert error={move.error} />}
          {done && done !== 'invoice' && <Done title={t(`desk.quotes.done.${done}`)} />}
          {answered && <Done title={t('desk.quotes.phone.done')} />}
          {quote.data.invoiceNumber && (
            <Alert
              color="teal"
              variant="light"
              styles={readableTitle('teal')}
              role="status"
              title={t('desk.quotes.invoicedTitle')}
            >
              <Text size="sm">
                {t('desk.quotes.invoiceNumberIs')}{' '}
                <Text span fw={700} data-testid="invoice-number">
                  {quote.data.invoiceNumber}
                </Text>
              </Text>
            </Alert>
          )}
          <Card withBorder padding="lg" component="section" aria-labelledby="quote-lines">
            <Title order={2} size="h4" id="quote-lines" mb="sm">
              {t('desk.quotes.lines')}
            </Title>
            <Lines quote={quote.data} />
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="quote-history">
            <Title order={2} size="h4" id="quote-history" mb="sm">
              {t('desk.quotes.history')}
            </Title>
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
              <Fact label={t('desk.fields.createdOn')}>
                <DayOf at={quote.data.createdAt} />
              </Fact>
              <Fact label={t('desk.quotes.sentOn')}>
                <DayOf at={quote.data.sentAt} />
              </Fact>
              <Fact label={t('desk.quotes.acceptedOn')}>
                <DayOf at={quote.data.acceptedAt ?? quote.data.declinedAt} />
              </Fact>
              <Fact label={t('desk.quotes.repairedOn')}>
                <DayOf at={quote.data.repairedAt} />
              </Fact>
              <Fact label={t('desk.quotes.invoicedOn')}>
                <DayOf at={quote.data.invoicedAt} />
              </Fact>
              <Fact label={t('desk.fields.customer')}>
                {[quote.data.customer.name, quote.data.customer.phone].filter(Boolean).join(' · ')}
              </Fact>
              {quote.data.response && (
                <Fact label={t('desk.quotes.phone.answeredVia')}>
                  {t(`desk.quotes.phone.channel.${quote.data.response.channel}`)}
                  {quote.data.response.takenBy &&
                    ` · ${t('desk.quotes.phone.takenBy', { name: quote.data.response.takenBy })}`}
                </Fact>
              )}
            </SimpleGrid>
            {quote.data.response?.note && (
              <Text size="sm" mt="sm">
                {quote.data.response.note}
              </Text>
            )}
          </Card>
          <Group gap="sm">
            {moves
              .filter((m) => quote.data.allowedMoves.includes(m.to))
              .map((m) => (
                <Button
                  key={m.move}
                  loading={move.isPending && move.variables.move === m.move}
                  loaderProps={{ 'aria-label': t('common.working') }}
                  disabled={move.isPending}
                  onClick={() => {
                    setConflict(false);
                    setDone(null);
                    move.mutate({ quote: quote.data, move: m.move });
                  }}
                >
                  {t(`desk.quotes.move.${m.move}`)}
                </Button>
              ))}
            {quote.data.state === 'sent' && <Text size="sm">{t('desk.quotes.waiting')}</Text>}
          </Group>
          <QuoteDocuments quote={quote.data} />
          {takesCalls && quote.data.allowedMoves.includes('accepted') && (
            <PhoneAnswer
              quote={quote.data}
              onAnswered={(q) => {
                queryClient.setQueryData(quoteQuery(id).queryKey, q);
                setAnswered(true);
                void queryClient.invalidateQueries({ queryKey: quotesQuery.queryKey });
                void queryClient.invalidateQueries({ queryKey: quotesListKey });
              }}
            />
          )}
        </>
      )}
    </Stack>
  );
}

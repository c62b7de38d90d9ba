import { Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../../components/Badges.js';
import { QuoteDocuments } from '../../components/Documents.js';
import { ChangeError, isStale, Section } from '../common.js';
import { QuoteAnswer } from '../QuoteAnswer.js';
import { QuoteLines } from '../QuoteLines.js';
import { type Quote, respondToQuote } from '../service-api.js';

function QuoteCard({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const respond = useMutation({
    mutationFn: (response: 'accept' | 'decline') =>
      respondToQuote(quote.id, { response, expectedVersion: quote.version }),
    onSettled: async (_quote, error) => {
      if (!error || isStale(error)) await queryClient.invalidateQueries({ queryKey: ['service'] });
    },
  });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600}>
          {quote.maintenanceNumber
            ? t('service.quote.forOrder', { number: quote.maintenanceNumber })
            : t('service.quote.heading')}
        </Text>
        <ToneBadge tone={quote.state === 'declined' ? 'gray' : quote.state === 'sent' ? 'grape' : 'teal'}>
          {t(`service.quote.states.${quote.state}`)}
        </ToneBadge>
      </Group>
      <QuoteLines lines={quote.lines} total={quote.total} />
      <QuoteDocuments quote={quote} />
      {respond.isError && <ChangeError error={respond.error} object="quote" />}
      {quote.allowedMoves.includes('accepted') && (
        <QuoteAnswer
          total={quote.total}
          pending={respond.isPending ? respond.variables : undefined}
          answer={(response) => {
            respond.mutate(response);
          }}
        />
      )}
    </Stack>
  );
}

/** The paid-service quotes of a claim the customer has been sent; a waiting one can be answered here. */
export function QuotesPanel({ quotes }: { quotes: readonly Quote[] }) {
  const { t } = useTranslation();
  // A draft is the center's work in progress, not yet an offer.
  const shown = quotes.filter((q) => q.state !== 'draft');
  if (shown.length === 0) return null;
  return (
    <Section id="quotes-title" title={t('service.quote.title')}>
      <Text>{t('service.quote.intro')}</Text>
      {shown.map((quote) => (
        <QuoteCard key={quote.id} quote={quote} />
      ))}
    </Section>
  );
}

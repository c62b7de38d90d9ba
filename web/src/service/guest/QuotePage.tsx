import { Alert, Card, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiErrorAlert, PageLoader } from '../../components/Status.js';
import { DateText, PageHeading } from '../common.js';
import { QuoteAnswer } from '../QuoteAnswer.js';
import { QuoteLines } from '../QuoteLines.js';
import { respondToQuoteByLink, viewQuoteByLink } from '../service-api.js';

/** `/quote?token=…`: a paid-service quote from its link, to accept or decline once. */
export function QuotePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const key = ['service', 'quote-link', token];
  const quote = useQuery({
    queryKey: key,
    queryFn: () => viewQuoteByLink(token),
    enabled: token !== '',
    retry: false,
  });
  const respond = useMutation({
    mutationFn: (response: 'accept' | 'decline') => respondToQuoteByLink(token, response),
    onSuccess: (answered) => {
      queryClient.setQueryData(key, answered);
    },
  });

  return (
    <Stack gap="lg" maw={760}>
      <PageHeading title={t('service.quote.pageTitle')} intro={t('service.quote.pageIntro')} />
      {token === '' ? (
        <Alert color="red" variant="light" role="alert" title={t('service.quote.noToken')}>
          {t('service.quote.noTokenBody')}
        </Alert>
      ) : quote.isPending ? (
        <PageLoader />
      ) : quote.isError ? (
        <ApiErrorAlert error={quote.error} fallbackTitle={t('service.quote.linkInvalid')} />
      ) : (
        <Card withBorder padding="lg">
          <Stack gap="md">
            {quote.data.maintenanceNumber && (
              <Text fw={600}>{t('service.quote.forOrder', { number: quote.data.maintenanceNumber })}</Text>
            )}
            <QuoteLines lines={quote.data.lines} total={quote.data.total} />
            {respond.isError && <ApiErrorAlert error={respond.error} />}
            {quote.data.awaitingResponse ? (
              <>
                <Text size="sm">
                  {t('service.quote.answerBy')} <DateText date={quote.data.linkExpiresAt.slice(0, 10)} />
                </Text>
                <QuoteAnswer
                  total={quote.data.total}
                  pending={respond.isPending ? respond.variables : undefined}
                  answer={(response) => {
                    respond.mutate(response);
                  }}
                />
              </>
            ) : (
              <Alert
                className={quote.data.state === 'declined' ? 'service-alert-muted' : 'service-alert'}
                color={quote.data.state === 'declined' ? 'gray' : 'teal'}
                variant="light"
                role="status"
                title={t(`service.quote.states.${quote.data.state}`)}
              >
                {t(`service.quote.answered.${quote.data.state === 'declined' ? 'declined' : 'accepted'}`)}
              </Alert>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

import { Anchor, Button, Card, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Cause } from '../../api.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { dealerName } from '../../parties.js';
import { DateText, Facts, PageHeading, useLanguages, useSubmissionKey } from '../common.js';
import { CauseField, DescriptionField } from '../problem-fields.js';
import { purchaseQuery, submitClaim } from '../service-api.js';
import { WarrantyToday } from './MyProductsPage.js';

/** "Report a problem" on one of the customer's purchases; the answer is the claim with its decision. */
export function ReportProblemPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { purchaseId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const purchase = useQuery(purchaseQuery(purchaseId));
  const [cause, setCause] = useState<Cause>('quality');
  const [description, setDescription] = useState('');
  const keyFor = useSubmissionKey();

  const report = useMutation({
    mutationFn: () => {
      const body = { purchaseId, cause, description: description.trim() };
      return submitClaim(body, keyFor(body), lang);
    },
    onSuccess: async (claim) => {
      await queryClient.invalidateQueries({ queryKey: ['service', 'claims'] });
      await navigate(`/my-claims/${claim.id}`);
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A second click while the first is under way is the same submission: it sends nothing more.
    if (!report.isPending) report.mutate();
  };

  if (purchase.isPending) return <PageLoader />;
  if (purchase.isError) return <LoadError error={purchase.error} onRetry={() => void purchase.refetch()} />;
  const p = purchase.data;
  return (
    <Stack gap="lg" maw={720}>
      <PageHeading
        title={t('service.report.title')}
        intro={t('service.report.intro', { product: p.product.name[lang] })}
      />
      <Card withBorder padding="lg">
        <Facts
          items={[
            [t('service.fields.product'), p.product.name[lang]],
            ...(p.serial ? [[t('service.fields.serial'), p.serial] as [string, string]] : []),
            [t('service.fields.purchaseDate'), <DateText key="d" date={p.purchaseDate} />],
            [t('service.fields.dealer'), p.dealer ? dealerName(p.dealer, lang) : '—'],
            [t('service.products.warrantyToday'), <WarrantyToday key="w" warranty={p.warranty} />],
          ]}
        />
      </Card>
      <Card withBorder padding="lg">
        <form onSubmit={submit}>
          <Stack gap="md">
            {report.isError && (
              <ApiErrorAlert error={report.error} fallbackTitle={t('service.report.failed')} />
            )}
            <CauseField value={cause} onChange={setCause} />
            <DescriptionField value={description} onChange={setDescription} />
            <Text size="sm" c="dimmed">
              {t('service.report.whatNext')}
            </Text>
            <Button
              type="submit"
              loading={report.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('service.report.submit')}
            </Button>
            <Anchor component={Link} to="/my-products" size="sm">
              {t('service.backToProducts')}
            </Anchor>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

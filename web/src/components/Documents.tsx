import { Alert, Button, Group } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { errorResponseSchema } from '../../../src/http/error-response.js';
import { policyLanguage } from '../i18n/index.js';

/*
 * The documents people file (issue 19), as downloads: a quote and its invoice, and a mail-in order's
 * return label, in the reader's language. Signed in, a plain link (the session cookie goes with it);
 * a guest's label is asked for with the tracking link's token in the body, like every guest request.
 */

export function quotePdfUrl(quoteId: string, kind: 'quote' | 'invoice', lang: string): string {
  return `/api/v1/quotes/${encodeURIComponent(quoteId)}/${kind}.pdf?lang=${policyLanguage(lang)}`;
}

export function returnLabelUrl(orderId: string, lang: string): string {
  return `/api/v1/maintenance-orders/${encodeURIComponent(orderId)}/return-label.pdf?lang=${policyLanguage(lang)}`;
}

/** "Print quote" and, once invoiced, "Print invoice". */
export function QuoteDocuments({ quote }: { quote: { id: string; invoiceNumber: string | null } }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="sm">
      <Button component="a" href={quotePdfUrl(quote.id, 'quote', i18n.language)} download variant="default">
        {t('documents.printQuote')}
      </Button>
      {quote.invoiceNumber && (
        <Button
          component="a"
          href={quotePdfUrl(quote.id, 'invoice', i18n.language)}
          download
          variant="default"
        >
          {t('documents.printInvoice')}
        </Button>
      )}
    </Group>
  );
}

/** "Print return label" for a mail-in order; nothing for a walk-in one. */
export function ReturnLabelButton({ order }: { order: { id: string; mode: 'walk_in' | 'mail_in' } }) {
  const { t, i18n } = useTranslation();
  if (order.mode !== 'mail_in') return null;
  return (
    <Button component="a" href={returnLabelUrl(order.id, i18n.language)} download variant="default">
      {t('documents.printReturnLabel')}
    </Button>
  );
}

async function fetchGuestLabel(token: string, lang: string): Promise<{ blob: Blob; fileName: string }> {
  const response = await fetch(`/api/v1/tracking/return-label.pdf?lang=${policyLanguage(lang)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/pdf, application/json' },
    body: JSON.stringify({ token }),
  }).catch((cause: unknown) => {
    throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));
  });
  if (!response.ok) {
    const parsed = errorResponseSchema.safeParse(await response.json().catch(() => undefined));
    throw parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message)
      : new ApiError(response.status, 'HTTP_ERROR', `${response.status}`);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([A-Za-z0-9-]+\.pdf)"/.exec(disposition)?.[1] ?? 'return-label.pdf';
  return { blob: await response.blob(), fileName };
}

/** A guest's "Print return label": the file is fetched with the token, then saved as a download. */
export function GuestReturnLabelButton({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const download = useMutation({
    mutationFn: async () => fetchGuestLabel(token, i18n.language),
    onSuccess: ({ blob, fileName }) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 60_000);
    },
  });
  return (
    <>
      <Button
        variant="default"
        loading={download.isPending}
        loaderProps={{ 'aria-label': t('common.working') }}
        onClick={() => {
          download.mutate();
        }}
      >
        {t('documents.printReturnLabel')}
      </Button>
      {download.isError && (
        <Alert color="red" variant="light" role="alert" title={t('documents.failed')}>
          {download.error.message}
        </Alert>
      )}
    </>
  );
}

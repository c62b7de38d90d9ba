import { Alert, Anchor, Button, Card, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Cause } from '../../api.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { PageHeading, useLanguages, useSubmissionKey } from '../common.js';
import { CauseField, DescriptionField } from '../problem-fields.js';
import { submitGuestClaim } from '../service-api.js';

/** The part of the tracking link this app routes: a link to another host is shown, never followed. */
function localTrackingPath(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.pathname === '/track' ? `${parsed.pathname}${parsed.search}` : null;
  } catch {
    return null;
  }
}

/** `/report`: a guest reports a problem with the unit's serial and the contact the sale was recorded with. */
export function GuestReportPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const [serial, setSerial] = useState('');
  const [contact, setContact] = useState('');
  const [cause, setCause] = useState<Cause>('quality');
  const [description, setDescription] = useState('');
  const keyFor = useSubmissionKey();
  const report = useMutation({
    mutationFn: () => {
      const body = { serial: serial.trim(), contact: contact.trim(), cause, description: description.trim() };
      return submitGuestClaim(body, keyFor(body), lang);
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!report.isPending) report.mutate();
  };

  if (report.data) {
    const path = report.data.trackingUrl ? localTrackingPath(report.data.trackingUrl) : null;
    return (
      <Stack gap="lg" maw={720}>
        <PageHeading title={t('service.guestReport.doneTitle')} />
        <Alert
          color="teal"
          variant="light"
          className="service-alert"
          role="status"
          title={t('service.guestReport.received')}
        >
          <Stack gap="xs">
            <Text>{t('service.guestReport.doneBody', { product: report.data.product.name[lang] })}</Text>
            {path ? (
              <Anchor component={Link} to={path} fw={600}>
                {t('service.guestReport.follow')}
              </Anchor>
            ) : (
              <Text>{t('service.guestReport.followByMessage')}</Text>
            )}
          </Stack>
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="lg" maw={720}>
      <PageHeading title={t('service.guestReport.title')} intro={t('service.guestReport.intro')} />
      <Card withBorder padding="lg">
        <form onSubmit={submit}>
          <Stack gap="md">
            {report.isError && (
              <ApiErrorAlert error={report.error} fallbackTitle={t('service.guestReport.failed')} />
            )}
            <TextInput
              name="serial"
              label={t('service.fields.serial')}
              description={t('service.guestReport.serialHint')}
              required
              maxLength={64}
              autoComplete="off"
              value={serial}
              onChange={(e) => {
                setSerial(e.currentTarget.value);
              }}
            />
            <TextInput
              name="contact"
              label={t('service.track.contact')}
              description={t('service.guestReport.contactHint')}
              required
              minLength={3}
              maxLength={254}
              value={contact}
              onChange={(e) => {
                setContact(e.currentTarget.value);
              }}
            />
            <CauseField value={cause} onChange={setCause} />
            <DescriptionField value={description} onChange={setDescription} />
            <Button
              type="submit"
              loading={report.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('service.report.submit')}
            </Button>
            <Text size="sm">
              {t('service.guestReport.haveAccount')}{' '}
              <Anchor component={Link} to="/sign-in?next=%2Fmy-products">
                {t('auth.signIn.link')}
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

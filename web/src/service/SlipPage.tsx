import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { useMe } from '../session.js';
import { Facts, useLanguages } from './common.js';
import { type MaintenanceOrder, maintenanceOrderQuery } from './service-api.js';

/** The public tracking page for this number: the reader adds their contact there. */
function trackingUrl(maintenanceNumber: string): string {
  const url = new URL('/track', window.location.origin);
  url.searchParams.set('number', maintenanceNumber);
  return url.toString();
}

/**
 * The QR code as an SVG data URL in an <img>: no markup of ours is injected, and the CSP's
 * `img-src data:` allows it.
 */
function QrCode({ text, label }: { text: string; label: string }) {
  const qr = useQuery({
    queryKey: ['qr', text],
    queryFn: async () => {
      const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    },
    staleTime: Infinity,
  });
  if (!qr.data) return <div className="slip-qr" aria-busy="true" />;
  return <img className="slip-qr" src={qr.data} alt={label} width={176} height={176} />;
}

function Slip({ order }: { order: MaintenanceOrder }) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const url = trackingUrl(order.maintenanceNumber);
  return (
    <article className="maintenance-slip" aria-labelledby="slip-title">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="lg">
        <Stack gap={4}>
          <Text fw={700} c="blue.9">
            {t('app.name')}
          </Text>
          <Title order={1} id="slip-title" size="h3">
            {t('service.slip.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('service.fields.maintenanceNumber')}
          </Text>
          <Text className="slip-number" data-testid="slip-number">
            {order.maintenanceNumber}
          </Text>
          <Text fw={600}>{t(`service.modeShort.${order.mode}`)}</Text>
        </Stack>
        <Stack gap={4} align="center">
          <QrCode text={url} label={t('service.slip.qrLabel', { number: order.maintenanceNumber })} />
          <Text size="xs" ta="center" maw={200}>
            {t('service.slip.scan')}
          </Text>
        </Stack>
      </Group>
      <section aria-labelledby="slip-center" className="slip-block">
        <Title order={2} size="h5" id="slip-center">
          {order.mode === 'mail_in' ? t('service.slip.sendTo') : t('service.slip.bringTo')}
        </Title>
        <Text fw={700}>{order.serviceCenter.name[lang]}</Text>
        <Text>{order.serviceCenter.address}</Text>
        <Text>{t('service.slip.phone', { phone: order.serviceCenter.phone })}</Text>
      </section>
      <section aria-labelledby="slip-product" className="slip-block">
        <Title order={2} size="h5" id="slip-product">
          {t('service.slip.product')}
        </Title>
        <Facts
          items={[
            [t('service.fields.product'), `${order.product.name[lang]} (${order.product.sku})`],
            [t('service.fields.customer'), order.customer.name],
            ...(order.customer.phone
              ? [[t('service.fields.phone'), order.customer.phone] as [string, string]]
              : []),
            ...(order.customer.email
              ? [[t('service.fields.email'), order.customer.email] as [string, string]]
              : []),
          ]}
        />
      </section>
      <Text size="sm" className="slip-block">
        {t(`service.slip.instructions.${order.mode}`, { number: order.maintenanceNumber })}
      </Text>
      <Text size="xs" c="dimmed">
        {url}
      </Text>
    </article>
  );
}

/** A printable slip for a maintenance order: the browser prints the slip alone (service.css). */
export function SlipPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const order = useQuery(maintenanceOrderQuery(id));
  if (order.isPending) return <PageLoader />;
  if (order.isError) return <LoadError error={order.error} onRetry={() => void order.refetch()} />;
  const back =
    me.data?.role === 'technician' ? `/repairs/${order.data.id}` : `/my-claims/${order.data.claimId}`;
  return (
    <Stack gap="md" align="center">
      <Group className="no-print" gap="sm" justify="center">
        <Button
          onClick={() => {
            window.print();
          }}
        >
          {t('service.slip.print')}
        </Button>
        <Anchor component={Link} to={back}>
          {t('service.slip.back')}
        </Anchor>
      </Group>
      <Slip order={order.data} />
    </Stack>
  );
}

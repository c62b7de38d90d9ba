import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { dealerName } from '../../parties.js';
import { DateText, PageHeading, useLanguages } from '../common.js';
import { type Purchase, purchasesQuery } from '../service-api.js';
import { ProductVerification } from './VerificationNotice.js';

/** Today's warranty of one purchase: the window it is in and whether a repair would be free. */
export function WarrantyToday({ warranty }: { warranty: Purchase['warranty'] }) {
  const { t } = useTranslation();
  if (!warranty) return <Text size="sm">{t('service.products.noPolicy')}</Text>;
  return (
    <Stack gap={4} align="flex-start">
      <ToneBadge tone={warranty.paid ? 'red' : 'teal'}>
        {warranty.paid ? t('service.products.paidNow') : t('service.products.coveredNow')}
      </ToneBadge>
      <Text size="sm">{t(`window.${warranty.window}`)}</Text>
      <Text size="sm" c="dimmed">
        {t('service.products.warrantyEnds')} <DateText date={warranty.warrantyEndsOn} />
      </Text>
    </Stack>
  );
}

export function MyProductsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const purchases = useQuery(purchasesQuery);
  const location = useLocation();
  // Set by the registration form on its way here.
  const registered = (location.state as { registered?: boolean } | null)?.registered === true;
  return (
    <Stack gap="lg">
      {registered && (
        <Alert
          color="teal"
          variant="light"
          className="service-alert"
          role="status"
          title={t('service.register.done')}
        >
          {t('service.register.doneBody')}
        </Alert>
      )}
      <Group justify="space-between" align="flex-end">
        <PageHeading title={t('service.products.title')} intro={t('service.products.intro')} />
        <Button component={Link} to="/my-products/register" variant="default">
          {t('service.products.register')}
        </Button>
      </Group>
      {purchases.isPending ? (
        <PageLoader />
      ) : purchases.isError ? (
        <LoadError error={purchases.error} onRetry={() => void purchases.refetch()} />
      ) : purchases.data.length === 0 ? (
        <Text>{t('service.products.none')}</Text>
      ) : (
        <ScrollTable label={t('service.products.title')} minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('service.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.purchaseDate')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.dealer')}</Table.Th>
                <Table.Th scope="col">{t('service.products.warrantyToday')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {purchases.data.map((purchase) => (
                <Table.Tr key={purchase.id}>
                  <Table.Th scope="row">
                    <Text fw={600}>{purchase.product.name[lang]}</Text>
                    <Text size="sm" c="dimmed">
                      {purchase.serial
                        ? t('service.fields.serialValue', { serial: purchase.serial })
                        : purchase.product.sku}
                    </Text>
                    <ProductVerification purchase={purchase} />
                  </Table.Th>
                  <Table.Td>
                    <DateText date={purchase.purchaseDate} />
                  </Table.Td>
                  <Table.Td>{purchase.dealer ? dealerName(purchase.dealer, lang) : '—'}</Table.Td>
                  <Table.Td>
                    <WarrantyToday warranty={purchase.warranty} />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      component={Link}
                      to={`/my-products/${purchase.id}/report`}
                      size="compact-sm"
                      aria-label={t('service.products.reportFor', { product: purchase.product.name[lang] })}
                    >
                      {t('service.products.report')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

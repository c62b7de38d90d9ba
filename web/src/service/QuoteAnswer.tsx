import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, useLanguages } from './common.js';

type Money = { amountMinor: number; currency: string };

/**
 * Accept or decline a quote. Accepting is a promise to pay, so it asks once more in a dialog that names
 * the total; declining sends the product back unrepaired and needs no second step.
 */
export function QuoteAnswer({
  total,
  pending,
  answer,
}: {
  total: Money;
  /** Which answer is being sent, if one is. */
  pending: 'accept' | 'decline' | undefined;
  answer: (response: 'accept' | 'decline') => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLanguages();
  const [confirming, setConfirming] = useState(false);
  const amount = formatMoney(total, locale);
  return (
    <>
      <Text fw={700} size="lg">
        {t('service.quote.totalToPay', { total: amount })}
      </Text>
      <Group gap="sm">
        <Button
          loading={pending === 'accept'}
          disabled={pending !== undefined}
          onClick={() => {
            setConfirming(true);
          }}
        >
          {t('service.quote.accept')}
        </Button>
        <Button
          variant="default"
          loading={pending === 'decline'}
          disabled={pending !== undefined}
          onClick={() => {
            answer('decline');
          }}
        >
          {t('service.quote.decline')}
        </Button>
      </Group>
      {confirming && (
        <Modal
          opened
          centered
          onClose={() => {
            setConfirming(false);
          }}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          title={t('service.quote.confirmTitle')}
        >
          <Stack gap="md">
            <Text>{t('service.quote.confirmBody', { total: amount })}</Text>
            <Group justify="flex-end" gap="sm">
              <Button
                variant="default"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                {t('common.cancel')}
              </Button>
              <Button
                onClick={() => {
                  setConfirming(false);
                  answer('accept');
                }}
              >
                {t('service.quote.confirmAccept', { total: amount })}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}

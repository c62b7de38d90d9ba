import { Alert, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../../components/Badges.js';
import type { Claim, Purchase } from '../service-api.js';

/*
 * Issue 14: a product the customer registered alone is checked before money moves on it. The customer
 * sees that, on the claim and on the product: a decision on an unchecked purchase is provisional.
 */

/** On a claim: its decision is provisional until the purchase is verified. */
export function ClaimVerificationNotice({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  if (claim.purchaseVerification === 'verified') return null;
  const pending = claim.purchaseVerification === 'pending';
  return (
    <Alert
      color={pending ? 'orange' : 'red'}
      variant="light"
      className="service-alert"
      role="status"
      title={pending ? t('service.verification.pendingTitle') : t('service.verification.rejectedTitle')}
    >
      {pending ? t('service.verification.pendingClaim') : t('service.verification.rejectedClaim')}
    </Alert>
  );
}

/**
 * On a claim a fraud rule held before anything was paid out: support checks it (never saying which
 * rule), and when it is declined, the reason support gave.
 */
export function ClaimReviewNotice({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  const review = claim.review;
  if (!review || review.status === 'approved') return null;
  const pending = review.status === 'pending';
  return (
    <Alert
      color={pending ? 'orange' : 'red'}
      variant="light"
      className="service-alert"
      role="status"
      title={pending ? t('service.review.pendingTitle') : t('service.review.rejectedTitle')}
    >
      {pending ? t('service.review.pending') : t('service.review.rejected', { reason: review.reason ?? '' })}
    </Alert>
  );
}

/** On a product in the customer's list: being checked, or not accepted and why. */
export function ProductVerification({ purchase }: { purchase: Purchase }) {
  const { t } = useTranslation();
  const v = purchase.verification;
  if (v.state === 'verified') return null;
  if (v.state === 'pending') {
    return (
      <Stack gap={2} mt={4}>
        <ToneBadge tone="grape">{t('service.verification.pendingBadge')}</ToneBadge>
        <Text size="xs">{t('service.verification.pendingProduct')}</Text>
      </Stack>
    );
  }
  const reason =
    v.rejectionCode === 'SOLD_TO_ANOTHER_BUYER'
      ? t('service.verification.soldToAnother')
      : (v.rejectionReason ?? '');
  return (
    <Stack gap={2} mt={4}>
      <ToneBadge tone="red">{t('service.verification.rejectedBadge')}</ToneBadge>
      <Text size="xs">{t('service.verification.rejectedProduct', { reason })}</Text>
    </Stack>
  );
}

import { Alert, Button, Card, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiErrorAlert, PageLoader } from '../../components/Status.js';
import { policyLanguage } from '../../i18n/index.js';
import { PageHeading } from '../../service/common.js';
import { openRatingLink, submitRating } from '../insight-api.js';

const MAX_COMMENT = 1000;
const scores = [1, 2, 3, 4, 5] as const;

/** `/rate?token=…`: the one question after a repair or a dealer's remedy, without an account. */
export default function RatingPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const lang = policyLanguage(i18n.language);
  const [score, setScore] = useState<string>('');
  const [comment, setComment] = useState('');
  const invitation = useQuery({
    queryKey: ['insight', 'rating-link', token],
    queryFn: () => openRatingLink(token),
    enabled: token !== '',
    retry: false,
  });
  const send = useMutation({ mutationFn: () => submitRating(token, Number(score), comment) });

  const about = (() => {
    const data = invitation.data;
    if (!data) return '';
    if (data.subject === 'maintenance_order') {
      return t('insight.rating.aboutOrder', {
        number: data.maintenanceNumber ?? '',
        center: data.center?.[lang] ?? '',
      });
    }
    return t('insight.rating.aboutDealer', { dealer: data.dealer ?? '' });
  })();

  return (
    <Stack gap="lg" maw={640}>
      <PageHeading title={t('insight.rating.title')} intro={t('insight.rating.intro')} />
      {token === '' ? (
        <Alert color="red" variant="light" role="alert" title={t('insight.rating.noToken')}>
          {t('insight.rating.noTokenBody')}
        </Alert>
      ) : invitation.isPending ? (
        <PageLoader />
      ) : invitation.isError ? (
        <ApiErrorAlert error={invitation.error} fallbackTitle={t('insight.rating.linkInvalid')} />
      ) : send.isSuccess ? (
        <Alert
          className="service-alert"
          color="teal"
          variant="light"
          role="status"
          title={t('insight.rating.thanks')}
        >
          {t('insight.rating.thanksBody')}
        </Alert>
      ) : (
        <Card withBorder padding="lg">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (score !== '') send.mutate();
            }}
          >
            <Stack gap="md">
              <Text fw={600}>{about}</Text>
              <Radio.Group
                name="score"
                label={t('insight.rating.question')}
                description={t('insight.rating.scale')}
                value={score}
                onChange={setScore}
                required
              >
                <Group mt="xs" gap="lg">
                  {scores.map((s) => (
                    <Radio key={s} value={String(s)} label={t(`insight.rating.score.${s}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <Textarea
                name="comment"
                label={t('insight.rating.comment')}
                description={t('insight.rating.commentHint', { max: MAX_COMMENT })}
                value={comment}
                maxLength={MAX_COMMENT}
                autosize
                minRows={3}
                onChange={(e) => {
                  setComment(e.currentTarget.value);
                }}
              />
              {send.isError && <ApiErrorAlert error={send.error} />}
              <Group>
                <Button type="submit" disabled={score === ''} loading={send.isPending}>
                  {t('insight.rating.send')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}

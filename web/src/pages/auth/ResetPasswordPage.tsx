import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { resetPassword } from '../../accounts.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { useSessionChanged } from '../../session.js';
import { AuthCard, Password } from './AuthCard.js';

/** Reached from the reset link: better-auth checks the token and sends the browser here with it. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: async () => {
      if (!token) throw new Error('no token');
      await resetPassword(token, password);
      // Every session of the account ends with the reset, this browser's included.
      await sessionChanged();
    },
    onSuccess: () => {
      void navigate('/sign-in?reset=done', { replace: true });
    },
  });

  if (!token || params.get('error')) {
    return (
      <AuthCard title={t('auth.reset.title')}>
        <Alert color="red" variant="light" role="alert" title={t('auth.reset.invalidTitle')}>
          <Text size="sm">{t('auth.reset.invalid')}</Text>
        </Alert>
        <Anchor component={Link} to="/forgot-password">
          {t('auth.reset.askAgain')}
        </Anchor>
      </AuthCard>
    );
  }

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthCard title={t('auth.reset.title')} intro={t('auth.reset.intro')}>
      {mutation.isError && <ApiErrorAlert error={mutation.error} />}
      <form onSubmit={submit}>
        <Stack gap="md">
          <Password
            name="newPassword"
            label={t('auth.newPassword')}
            description={t('auth.passwordRule')}
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={128}
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
            }}
          />
          <Button
            type="submit"
            loading={mutation.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('auth.reset.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

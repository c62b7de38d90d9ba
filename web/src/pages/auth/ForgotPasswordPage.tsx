import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { requestPasswordReset } from '../../accounts.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { AuthCard } from './AuthCard.js';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const mutation = useMutation({ mutationFn: () => requestPasswordReset(email.trim()) });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthCard title={t('auth.forgot.title')} intro={t('auth.forgot.intro')}>
      {mutation.isSuccess ? (
        // The same answer whether or not the address has an account: the API does not tell either.
        <Alert color="teal" variant="light" role="status" title={t('auth.forgot.sentTitle')}>
          <Text size="sm">{t('auth.forgot.sent', { email: email.trim() })}</Text>
        </Alert>
      ) : (
        <>
          {mutation.isError && <ApiErrorAlert error={mutation.error} />}
          <form onSubmit={submit}>
            <Stack gap="md">
              <TextInput
                type="email"
                name="email"
                label={t('auth.email')}
                autoComplete="email"
                required
                value={email}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                }}
              />
              <Button
                type="submit"
                loading={mutation.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('auth.forgot.submit')}
              </Button>
            </Stack>
          </form>
        </>
      )}
      <Anchor component={Link} to="/sign-in" size="sm">
        {t('auth.backToSignIn')}
      </Anchor>
    </AuthCard>
  );
}

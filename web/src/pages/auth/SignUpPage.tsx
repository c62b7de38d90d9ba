import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { signUp } from '../../accounts.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { AuthCard, Password } from './AuthCard.js';

/** Customers sign up themselves; every other role comes through an invitation. */
export function SignUpPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => signUp({ name: name.trim(), email: email.trim(), password }),
  });

  if (mutation.isSuccess) {
    return (
      <AuthCard title={t('auth.signUp.checkInboxTitle')}>
        <Alert color="teal" variant="light" role="status">
          <Text size="sm">{t('auth.signUp.checkInbox', { email: email.trim() })}</Text>
        </Alert>
        <Anchor component={Link} to="/sign-in">
          {t('auth.backToSignIn')}
        </Anchor>
      </AuthCard>
    );
  }

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthCard title={t('auth.signUp.title')} intro={t('auth.signUp.intro')}>
      {mutation.isError && <ApiErrorAlert error={mutation.error} fallbackTitle={t('auth.signUp.failed')} />}
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            name="name"
            label={t('auth.name')}
            autoComplete="name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
            }}
          />
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
          <Password
            name="password"
            label={t('auth.password')}
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
            {t('auth.signUp.submit')}
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        {t('auth.signUp.haveAccount')}{' '}
        <Anchor component={Link} to="/sign-in">
          {t('auth.signIn.submit')}
        </Anchor>
      </Text>
      <Text size="sm" c="dimmed">
        {t('auth.signUp.staffNote')}
      </Text>
    </AuthCard>
  );
}

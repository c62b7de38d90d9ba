import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { signIn } from '../../accounts.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { homePathFor, safeNextPath, useMe, useSessionChanged } from '../../session.js';
import { AuthCard, Password } from './AuthCard.js';

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'), window.location.origin);
  const navigate = useNavigate();
  const me = useMe();
  const sessionChanged = useSessionChanged();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: async () => {
      await signIn(email.trim(), password);
      return sessionChanged();
    },
    onSuccess: (user) => {
      void navigate(next ?? (user ? homePathFor(user.role) : '/'), { replace: true });
    },
  });

  // Someone already signed in who follows a link here goes where they were headed.
  if (me.data && !mutation.isPending && !mutation.isSuccess) {
    return <Navigate to={next ?? homePathFor(me.data.role)} replace />;
  }

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthCard title={t('auth.signIn.title')} intro={t('auth.signIn.intro')}>
      {params.get('reset') === 'done' && (
        <Alert color="teal" variant="light" title={t('auth.reset.doneTitle')}>
          <Text size="sm">{t('auth.reset.doneBody')}</Text>
        </Alert>
      )}
      {mutation.isError && <ApiErrorAlert error={mutation.error} fallbackTitle={t('auth.signIn.failed')} />}
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            type="email"
            name="email"
            label={t('auth.email')}
            autoComplete="username"
            required
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
            }}
          />
          <Password
            name="password"
            label={t('auth.password')}
            autoComplete="current-password"
            required
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
            {t('auth.signIn.submit')}
          </Button>
        </Stack>
      </form>
      <Group justify="space-between" gap="xs">
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t('auth.signIn.forgot')}
        </Anchor>
        <Anchor component={Link} to="/sign-up" size="sm">
          {t('auth.signIn.signUp')}
        </Anchor>
      </Group>
    </AuthCard>
  );
}

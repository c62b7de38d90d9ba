import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { acceptInvitation, signIn } from '../../accounts.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { homePathFor, useSessionChanged } from '../../session.js';
import { AuthCard, Password } from './AuthCard.js';

/** The invited person chooses a name and password, is signed in, and lands where their role works. */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: async () => {
      const account = await acceptInvitation({ token, name: name.trim(), password });
      await signIn(account.email, password);
      return sessionChanged();
    },
    onSuccess: (user) => {
      void navigate(user ? homePathFor(user.role) : '/sign-in', { replace: true });
    },
  });

  if (token.length < 20) {
    return (
      <AuthCard title={t('auth.invitation.title')}>
        <Alert color="red" variant="light" role="alert" title={t('errors.INVITATION_NOT_FOUND')}>
          <Text size="sm">{t('auth.invitation.noToken')}</Text>
        </Alert>
      </AuthCard>
    );
  }

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthCard title={t('auth.invitation.title')} intro={t('auth.invitation.intro')}>
      {mutation.isError && <ApiErrorAlert error={mutation.error} />}
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
            {t('auth.invitation.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

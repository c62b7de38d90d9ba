import { Card, PasswordInput, type PasswordInputProps, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The narrow card every account page (sign in, sign up, passwords, invitations) sits in. */
export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="xl" maw={460} mx="auto" mt="md" radius="lg">
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            {title}
          </Title>
          {intro && <Text mt="xs">{intro}</Text>}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

/** A password field whose show/hide button is named, and reachable by keyboard. */
export function Password(props: PasswordInputProps) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      {...props}
      visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword'), tabIndex: 0 }}
    />
  );
}

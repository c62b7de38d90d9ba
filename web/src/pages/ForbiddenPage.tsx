import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../session.js';

/** A signed-in user opened a page their role may not use: said plainly, with a way back. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Stack gap="sm" py="xl" maw={640}>
      <Text fw={700} c="red.9">
        {t('forbidden.code')}
      </Text>
      <Title order={1}>{t('forbidden.title')}</Title>
      <Text>
        {me.data
          ? t('forbidden.bodyAs', { name: me.data.name, role: t(`role.${me.data.role}`) })
          : t('forbidden.body')}
      </Text>
      <Anchor component={Link} to="/">
        {t('forbidden.home')}
      </Anchor>
    </Stack>
  );
}

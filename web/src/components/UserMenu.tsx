import { Anchor, Button, Menu, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { signOut } from '../accounts.js';
import { useMe, useSessionChanged } from '../session.js';

/** The signed-in user's name and role, with a menu to sign out; or a link to sign in. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const sessionChanged = useSessionChanged();
  const out = useMutation({
    mutationFn: async () => {
      await signOut();
      await sessionChanged();
    },
    onSuccess: () => {
      void navigate('/');
    },
  });

  if (me.isPending) return null;
  if (!me.data) {
    // Back to an account page (or its one-time token) after signing in makes no sense.
    const onAuthPage = [
      '/sign-in',
      '/sign-up',
      '/forgot-password',
      '/reset-password',
      '/accept-invitation',
    ].includes(pathname);
    const next = onAuthPage ? '' : `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return (
      <Anchor component={Link} to={`/sign-in${next}`} className="nav-link">
        {t('auth.signIn.link')}
      </Anchor>
    );
  }
  const user = me.data;
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <Button variant="default" size="sm" data-testid="user-menu">
          <span>{user.name}</span>
          <span className="user-role">{t(`role.${user.role}`)}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="xs" c="dark.6" truncate="end">
            {user.email}
          </Text>
          <Text size="xs" c="dark.6">
            {t(`role.${user.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Item
          onClick={() => {
            out.mutate();
          }}
          disabled={out.isPending}
        >
          {t('auth.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

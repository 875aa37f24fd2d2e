import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../state/authStore';

/** Header: who is signed in at this desk (name shown, name and role as the group's name), and the Lock button. */
export function SignedInMenu() {
  const { t } = useTranslation();
  const status = useAuthStore((s) => s.status);
  const lock = useAuthStore((s) => s.lock);
  const me = status?.signedIn;
  if (!status?.enforced || !me) return null;
  const label = t('security.signedInAs', { name: me.name, role: t(`security.role.${me.role}`) });
  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label={label} style={{ flexShrink: 0 }}>
      <Text size="sm" fw={500} maw={220} lh={1.2} lineClamp={2} title={label} style={{ overflowWrap: 'anywhere' }}>
        {me.name}
      </Text>
      <Button size="xs" variant="default" aria-label={t('security.lockLabel')} onClick={() => void lock()} style={{ flexShrink: 0 }}>
        {t('security.lock')}
      </Button>
    </Group>
  );
}

import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errorMessage';
import { useUpdateStore } from '../state/updateStore';

/** Settings → Updates: this copy's version, how it updates, the last check and its result. */
export function UpdatesSection() {
  const { t, i18n } = useTranslation();
  const u = useUpdateStore();
  const s = u.status;
  if (!s) return null;
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' });
  const lines: { text: string; tone?: 'red' | 'dimmed' }[] = [];
  if (s.phase === 'off' && s.offReason) lines.push({ text: t(`updates.off.${s.offReason}`) });
  else {
    lines.push({ text: t(s.delivery === 'install' ? 'updates.deliveryInstall' : 'updates.deliveryNotify'), tone: 'dimmed' });
    if (s.phase === 'checking') lines.push({ text: t('updates.checking') });
    if (s.phase === 'idle' && s.lastCheckedAt) lines.push({ text: t('updates.upToDate') });
    if (s.phase === 'downloading' && s.availableVersion) lines.push({ text: `${t('updates.downloadingTitle', { version: s.availableVersion })} · ${t('updates.downloadingBody', { percent: s.percent ?? 0 })}` });
    if (s.phase === 'ready' && s.availableVersion) lines.push({ text: `${t('updates.readyTitle', { version: s.availableVersion })}. ${t('updates.readyBody')}` });
    if (s.phase === 'available' && s.availableVersion) lines.push({ text: `${t('updates.availableTitle', { version: s.availableVersion })}. ${t('updates.availableBody')}` });
    if (s.phase === 'error' && s.errorKind) lines.push({ text: t(`updates.failed.${s.errorKind}`, { detail: s.error ?? '' }), tone: 'red' });
    lines.push({ text: s.lastCheckedAt ? t('updates.lastChecked', { time: time(s.lastCheckedAt) }) : t('updates.neverChecked'), tone: 'dimmed' });
  }
  return (
    <Stack gap="xs" component="section" aria-labelledby="updates-title">
      <Title order={3} id="updates-title">
        {t('updates.title')}
      </Title>
      <Text size="sm">{t('updates.version', { version: s.currentVersion })}</Text>
      {lines.map((l) => (
        <Text key={l.text} size="sm" c={l.tone === 'red' ? 'red' : l.tone === 'dimmed' ? 'dimmed' : undefined} role={l.tone === 'red' ? 'alert' : undefined}>
          {l.text}
        </Text>
      ))}
      {s.phase !== 'off' && (
        <Group gap="xs">
          <Button variant="default" onClick={() => void u.check()} loading={u.busy === 'check'} disabled={s.phase === 'checking' || s.phase === 'downloading' || s.phase === 'ready'}>
            {t('updates.check')}
          </Button>
          {s.phase === 'ready' && (
            <Button onClick={() => void u.install()} loading={u.busy === 'install'}>
              {t('updates.restart')}
            </Button>
          )}
        </Group>
      )}
      {u.error !== null && (
        <Text size="sm" c="red" role="alert">
          {errorMessage(t, u.error)}
        </Text>
      )}
    </Stack>
  );
}

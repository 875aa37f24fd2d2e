import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorMessage } from '../i18n/errorMessage';
import { useAppStore } from '../state/appStore';
import { useCan } from '../state/permissions';
import { PurgeSection } from './PurgeSection';
import { SecuritySettings } from './SecuritySettings';
import { UpdatesSection } from './UpdatesSection';

export function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const info = useAppStore((s) => s.info);
  const update = useAppStore((s) => s.update);
  const [deskName, setDeskName] = useState(settings?.deskName ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // The desk's name is the stop lead's (settings.configure): others read it (issue #22).
  const configures = useCan('settings.configure');

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!deskName.trim()) return setMessage({ ok: false, text: t('errors.required') });
    try {
      await update({ deskName: deskName.trim() });
      setMessage({ ok: true, text: t('settings.saved') });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(t, err) });
    }
  }

  if (!settings) return null;
  return (
    <Stack maw={520}>
      <Title order={2}>{t('settings.title')}</Title>
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('settings.language')}
        </Text>
        <LanguageSwitch value={settings.language} onChange={(language) => void update({ language })} />
      </div>
      {!configures && (
        <Text>
          {t('settings.deskName')}: <b>{settings.deskName}</b>{' '}
          <Text span size="sm" c="dimmed">
            ({t('roleFit.stopLocked')})
          </Text>
        </Text>
      )}
      {configures && (
      <form onSubmit={save}>
        <Group align="flex-end">
          <TextInput label={t('settings.deskName')} description={t('settings.deskNameHelp')} value={deskName} onChange={(e) => setDeskName(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button type="submit">{t('settings.save')}</Button>
        </Group>
      </form>
      )}
      {message && (
        <Text c={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Text>
      )}
      {info && (
        <Text size="sm" c="dimmed">
          {t('settings.version')}: {info.version} · {t('settings.mode')}: {t(`app.mode.${info.mode}`)}
        </Text>
      )}
      <UpdatesSection />
      <SecuritySettings />
      <PurgeSection />
    </Stack>
  );
}

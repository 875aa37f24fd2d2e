import { Alert, Button, Center, Group, Paper, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorMessage } from '../i18n/errorMessage';
import { initI18n } from '../i18n/i18n';
import { useAuthStore } from '../state/authStore';

const PIN_RE = /^\d{6,12}$/;

/** The lock screen: pick yourself, type your PIN. On the very first start: set up the stop lead. */
export function SignInScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t } = useTranslation();
  const auth = useAuthStore();
  const [staffId, setStaffId] = useState<string>('');
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [pin2, setPin2] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    initI18n(auth.language);
    document.documentElement.lang = auth.language;
  }, [auth.language]);

  const status = auth.status;
  if (!status) return null;

  async function submitSignIn(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (!staffId || !pin) return setFormError(t('errors.required'));
    if (await useAuthStore.getState().signIn(staffId, pin)) onSignedIn();
    else setPin('');
  }

  async function submitSetup(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (!name.trim()) return setFormError(t('errors.required'));
    if (!PIN_RE.test(pin)) return setFormError(t('security.pinInvalid'));
    if (pin !== pin2) return setFormError(t('security.pinMismatch'));
    if (await useAuthStore.getState().setup(name.trim(), pin)) onSignedIn();
  }

  const error = formError ?? (auth.error ? errorMessage(t, auth.error) : null);
  return (
    <Center mih="100vh" p="lg">
      <Paper withBorder shadow="sm" p="xl" w={460} component="main">
        <Stack>
          <Group justify="space-between" wrap="nowrap">
            <Title order={1} size="h3">
              {t('app.title')}
            </Title>
            <LanguageSwitch value={auth.language} onChange={(l) => void auth.setLanguage(l)} />
          </Group>
          {status.needsSetup ? (
            <form aria-label={t('security.setupForm')} onSubmit={submitSetup}>
              <Stack>
                <Title order={2} size="h4">
                  {t('security.setupTitle')}
                </Title>
                <Text size="sm">{t('security.setupIntro')}</Text>
                <TextInput label={t('security.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required autoComplete="name" />
                <PasswordInput label={t('security.pin')} description={t('security.pinHelp')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" required />
                <PasswordInput label={t('security.pinConfirm')} value={pin2} onChange={(e) => setPin2(e.currentTarget.value)} inputMode="numeric" required />
                {error && <Alert color="red" role="alert">{error}</Alert>}
                <Button type="submit" loading={auth.busy}>
                  {t('security.setup')}
                </Button>
              </Stack>
            </form>
          ) : (
            <form aria-label={t('security.signInForm')} onSubmit={submitSignIn}>
              <Stack>
                <Title order={2} size="h4">
                  {t('security.locked')}
                </Title>
                <Radio.Group label={t('security.who')} value={staffId} onChange={setStaffId}>
                  <Stack gap={6} mt={6}>
                    {status.staff.map((s) => (
                      <Radio key={s.id} value={s.id} label={`${s.name} · ${t(`security.role.${s.role}`)}`} />
                    ))}
                  </Stack>
                </Radio.Group>
                <PasswordInput label={t('security.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" autoComplete="off" />
                {error && <Alert color="red" role="alert">{error}</Alert>}
                <Button type="submit" loading={auth.busy}>
                  {t('security.signIn')}
                </Button>
                {status.demo && (
                  <Text size="sm" c="dimmed">
                    {t('security.demoHint')}
                  </Text>
                )}
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

import { Alert, Button, Center, Group, Paper, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ApiError } from '../api/apiClient';
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
  const [setupCode, setSetupCode] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  /** First sign-in: which field the last problem belongs to. */
  const [fieldError, setFieldError] = useState<{ field: 'code' | 'pin' | 'pin2'; text: string } | null>(null);

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

  const chosen = status.staff.find((s) => s.id === staffId) ?? null;
  const firstTime = chosen !== null && !chosen.pinSet;

  function choose(id: string) {
    setStaffId(id);
    setPin('');
    setPin2('');
    setSetupCode('');
    setFormError(null);
    setFieldError(null);
    useAuthStore.getState().clearError();
  }

  async function submitFirstSignIn(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setFieldError(null);
    if (!setupCode.trim()) return setFieldError({ field: 'code', text: t('errors.required') });
    if (!PIN_RE.test(pin)) return setFieldError({ field: 'pin', text: t('security.pinInvalid') });
    if (pin !== pin2) return setFieldError({ field: 'pin2', text: t('security.pinMismatch') });
    if (await useAuthStore.getState().firstSignIn(staffId, setupCode.trim(), pin)) return onSignedIn();
    const err = useAuthStore.getState().error;
    if (err instanceof ApiError && (err.code === 'WRONG_SETUP_CODE' || err.code === 'NO_SETUP_CODE')) {
      setFieldError({ field: 'code', text: errorMessage(t, err) });
      useAuthStore.getState().clearError();
    }
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
            <form aria-label={t('security.signInForm')} onSubmit={firstTime ? submitFirstSignIn : submitSignIn}>
              <Stack>
                <Title order={2} size="h4">
                  {t('security.locked')}
                </Title>
                <Radio.Group label={t('security.who')} value={staffId} onChange={choose}>
                  <Stack gap={6} mt={6}>
                    {status.staff.map((s) => (
                      <Radio
                        key={s.id}
                        value={s.id}
                        label={`${s.name} · ${t(`security.role.${s.role}`)}${s.pinSet ? '' : ` · ${t('firstSignIn.noPinYet')}`}`}
                      />
                    ))}
                  </Stack>
                </Radio.Group>
                {firstTime ? (
                  <Stack gap="sm" role="group" aria-label={t('firstSignIn.title')}>
                    <Title order={3} size="h5">
                      {t('firstSignIn.title')}
                    </Title>
                    <Text size="sm">{t('firstSignIn.intro', { name: chosen.name })}</Text>
                    <TextInput
                      label={t('firstSignIn.code')}
                      description={t('firstSignIn.codeHelp')}
                      value={setupCode}
                      onChange={(e) => setSetupCode(e.currentTarget.value)}
                      autoComplete="off"
                      error={fieldError?.field === 'code' ? fieldError.text : null}
                    />
                    <Group grow align="flex-start">
                      <PasswordInput
                        label={t('firstSignIn.newPin')}
                        description={t('security.pinHelp')}
                        value={pin}
                        onChange={(e) => setPin(e.currentTarget.value)}
                        inputMode="numeric"
                        autoComplete="off"
                        error={fieldError?.field === 'pin' ? fieldError.text : null}
                      />
                      <PasswordInput
                        label={t('security.pinConfirm')}
                        description={'\u00a0'}
                        value={pin2}
                        onChange={(e) => setPin2(e.currentTarget.value)}
                        inputMode="numeric"
                        autoComplete="off"
                        error={fieldError?.field === 'pin2' ? fieldError.text : null}
                      />
                    </Group>
                    {error && <Alert color="red" role="alert">{error}</Alert>}
                    <Button type="submit" loading={auth.busy}>
                      {t('firstSignIn.submit')}
                    </Button>
                  </Stack>
                ) : (
                  <>
                    <PasswordInput label={t('security.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" autoComplete="off" />
                    {error && <Alert color="red" role="alert">{error}</Alert>}
                    <Button type="submit" loading={auth.busy}>
                      {t('security.signIn')}
                    </Button>
                  </>
                )}
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

import { AppShell, Badge, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './components/LanguageSwitch';
import { NoTourState } from './components/NoTourState';
import { StopPicker } from './components/StopPicker';
import { TourPicker } from './components/TourPicker';
import { errorMessage } from './i18n/errorMessage';
import { initI18n } from './i18n/i18n';
import { CheckInScreen } from './screens/CheckInScreen';
import { SignedInMenu } from './screens/SignedInMenu';
import { SignInScreen } from './screens/SignInScreen';
import { HeaderSyncStatus } from './screens/HeaderSyncStatus';
import { UpdateNoticeArea } from './screens/UpdateNoticeArea';
import { BoothsScreen, ConflictsScreen, ConsultationsScreen, preloadScreen, preloadScreens, ProgrammeScreen, SettingsScreen, SyncScreen } from './screens/lazyScreens';
import { selectCurrentStop, selectCurrentTour, selectLanguage, selectTourStops, useAppStore } from './state/appStore';
import { startDeskSession, useAuthStore } from './state/authStore';
import { SCREENS, useNavStore } from './state/navStore';
import { homeScreen, screensFor, useCanConfigure } from './state/permissions';

export function App() {
  const { t } = useTranslation();
  const app = useAppStore();
  const stop = useAppStore(selectCurrentStop);
  const language = useAppStore(selectLanguage);
  const { screen, go } = useNavStore();
  const locked = useAuthStore((s) => s.locked);
  const authStatus = useAuthStore((s) => s.status);
  const authFailed = useAuthStore((s) => s.error !== null);
  const configures = useCanConfigure();
  // A refused change of the desk's stop or tour, shown under the picker that caused it.
  const [pickError, setPickError] = useState<{ picker: 'stop' | 'tour'; error: unknown } | null>(null);
  // Only the screens whose tools this person may use; the first of them when the current one is not.
  const screens = screensFor(authStatus, SCREENS);
  const shown = screens.includes(screen) ? screen : homeScreen(authStatus, SCREENS);
  useEffect(() => startDeskSession(), []);

  useEffect(() => void app.load(), []); // eslint-disable-line react-hooks/exhaustive-deps
  // Once the first screen is up, the other screens' code loads when the page is idle.
  const started = app.ready && !locked;
  useEffect(() => {
    if (started) preloadScreens();
  }, [started]);
  // The lock screen sets its own language; after unlocking the desk's applies again.
  useEffect(() => {
    if (locked) return;
    initI18n(language);
    document.documentElement.lang = language;
  }, [language, locked]);

  // Staff sign-in (issue #9): a locked desk shows only the lock screen.
  if (locked) return <SignInScreen onSignedIn={() => void app.load()} />;
  // The screens follow who is signed in: wait for that too (unless it could not be read).
  if (!app.ready || (authStatus === null && !authFailed)) {
    return (
      <Group justify="center" mt="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (!app.settings) {
    return (
      <Text c="red" role="alert" m="xl">
        {errorMessage(t, app.error)}
      </Text>
    );
  }

  const needsStop = shown !== 'sync' && shown !== 'settings';
  const pick = (picker: 'stop' | 'tour', change: Promise<void>) => {
    setPickError(null);
    change.catch((error: unknown) => setPickError({ picker, error }));
  };
  const tour = selectCurrentTour(app);
  const tourStops = selectTourStops(app);
  const noTour = app.stops.length === 0;
  const currentStopId = app.settings.currentStopId;
  return (
    <AppShell header={{ height: 76 }} navbar={{ width: 200, breakpoint: 0 }} padding="lg">
      <AppShell.Header px="lg">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Title order={1} size="h3" style={{ whiteSpace: 'nowrap' }}>
              {t('app.title')}
            </Title>
            {app.tours.length > 1 && (
              <TourPicker
                tours={app.tours}
                value={tour?.id ?? null}
                disabled={!configures}
                error={pickError?.picker === 'tour' ? errorMessage(t, pickError.error) : undefined}
                onChange={(tourId) => pick('tour', app.chooseTour(tourId))}
              />
            )}
            {!noTour && (
              <StopPicker
                stops={tourStops}
                value={tourStops.some((s) => s.id === currentStopId) ? currentStopId : null}
                disabled={!configures}
                error={pickError?.picker === 'stop' ? errorMessage(t, pickError.error) : undefined}
                width={app.tours.length > 1 ? 260 : 360}
                onChange={(currentStopId) => pick('stop', app.update({ currentStopId }))}
              />
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <HeaderSyncStatus />
            {app.info && (
              <Badge color={app.info.unsyncedCount > 0 ? 'orange' : 'gray'} variant="light" size="lg">
                {t('header.unsynced', { count: app.info.unsyncedCount })}
              </Badge>
            )}
            <SignedInMenu />
            <LanguageSwitch
              value={language}
              onChange={(l) => {
                useAuthStore.setState({ language: l }); // the lock screen follows the desk's language
                void app.update({ language: l });
              }}
            />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.label')}>
        <Stack gap={4}>
          {screens.map((s) => (
            <NavLink key={s} label={t(`nav.${s}`)} active={shown === s} onClick={() => go(s)} onPointerEnter={() => preloadScreen(s)} onFocus={() => preloadScreen(s)} aria-current={shown === s ? 'page' : undefined} component="button" />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <UpdateNoticeArea />
        {needsStop && noTour && <NoTourState canSetUp={configures} onGo={(section) => go('sync', section)} />}
        {needsStop && !noTour && !stop && <Text role="alert">{t('errors.NO_CURRENT_STOP')}</Text>}
        {shown === 'checkin' && stop && <CheckInScreen stop={stop} />}
        {/* The other screens' code loads when first opened (renderer/screens/lazyScreens.ts). */}
        <Suspense fallback={<Loader aria-label={t('app.loading')} />}>
          {shown === 'programme' && stop && <ProgrammeScreen stop={stop} />}
          {shown === 'booths' && stop && <BoothsScreen stop={stop} />}
          {shown === 'consultations' && stop && <ConsultationsScreen stop={stop} />}
          {shown === 'conflicts' && stop && <ConflictsScreen stop={stop} />}
          {shown === 'sync' && <SyncScreen />}
          {shown === 'settings' && <SettingsScreen />}
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

import { Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskView } from '../../shared/ipc/checkinContract';
import type { SessionDeskView } from '../../shared/ipc/sessionCheckinContract';
import type { Stop } from '../../shared/schemas/masterData';
import { AttendeeHistory } from '../components/AttendeeHistory';
import { BadgeDialog } from '../components/BadgeDialog';
import { BadgePrintSheet } from '../components/BadgePrintSheet';
import { CameraScanner } from '../components/CameraScanner';
import { CheckinNoticeBanner } from '../components/CheckinNoticeBanner';
import { CountsBar } from '../components/CountsBar';
import { DoorPicker } from '../components/DoorPicker';
import { FlaggedAttendeesAlert } from '../components/FlaggedAttendeesAlert';
import { ImportDialogContainer } from '../components/ImportDialogContainer';
import { RegistrationRow } from '../components/RegistrationRow';
import { SessionCountsBar } from '../components/SessionCountsBar';
import { UndoCheckInForm } from '../components/UndoCheckInForm';
import { WalkInForm } from '../components/WalkInForm';
import { formatName } from '../i18n/formatName';
import { sessionTitle } from '../i18n/sessionTitle';
import { beep } from '../scanner/beep';
import { markScanShown, useWedgeScanner } from '../scanner/useWedgeScanner';
import { useTypeToSearch } from '../scanner/useTypeToSearch';
import { useAppStore } from '../state/appStore';
import { useAttendeeEditStore } from '../state/attendeeEditStore';
import { useCan, useCanCorrectAttendees } from '../state/permissions';
import { AttendeeEditModal } from './AttendeeEditModal';
import { ConsentHistorySection } from './ConsentHistorySection';
import { useCheckinStore, type CheckinNotice } from '../state/checkinStore';
import { useBadgeStore } from '../state/badgeStore';
import { useImportStore } from '../state/importStore';
import { asSessionDesk, useSessionCheckinStore } from '../state/sessionCheckinStore';
import { useLiveRefresh } from '../state/useLiveRefresh';

/** Live counts also change through other desks' check-ins arriving by sync. */
const COUNTS_POLL_MS = 10_000;

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function CheckInScreen({ stop }: { stop: Stop }) {
  const { t, i18n } = useTranslation();
  const s = useCheckinStore();
  // The door: the stop entrance (s, unchanged) or a session of the programme (ss).
  const ss = useSessionCheckinStore();
  const door = ss.sessionId ? (ss.sessions.find((x) => x.id === ss.sessionId) ?? null) : null;
  const doorTitle = door ? sessionTitle(door, i18n.language) : undefined;
  const [sessionUndo, setSessionUndo] = useState<SessionDeskView | null>(null);
  const stops = useAppStore((a) => a.stops);
  const [selected, setSelected] = useState(0);
  const [undoTarget, setUndoTarget] = useState<DeskView | null>(null);
  const [walkInOpen, setWalkInOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [cameraOpen, setCameraOpen] = useState(false);
  const badges = useBadgeStore();
  const [badgeOpen, setBadgeOpen] = useState(false);
  const [badgeFor, setBadgeFor] = useState<{ registrationId: string; name: string } | null>(null);
  const edit = useAttendeeEditStore();
  const canEdit = useCanCorrectAttendees();
  // Tools by role (issue #22): the import is the stop lead's; walk-ins, the camera and badges the desk's.
  const canImport = useCan('settings.configure');
  const canCheckIn = useCan('checkin.write');
  // The registration the correction was opened from: its badge is the one to reprint, whatever the search shows after.
  const [editReg, setEditReg] = useState<string | null>(null);
  const openEdit = (attendeeId: string, registrationId: string | null) => {
    setEditReg(registrationId);
    void edit.open(attendeeId);
  };
  const [badgeScope, setBadgeScope] = useState<'person' | 'all'>('all');
  const historyTarget = s.history ? [...s.results, ...ss.results].find((r) => r.attendee.id === s.history!.attendeeId) : undefined;
  const formOpen = walkInOpen || importOpen || badgeOpen || undoTarget !== null || sessionUndo !== null || s.history !== null || edit.editing !== null;

  useEffect(() => {
    void s.refresh(stop.id);
    void useAttendeeEditStore.getState().loadFlagged(stop.id);
    const timer = setInterval(() => void useCheckinStore.getState().refreshCounts(stop.id), COUNTS_POLL_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stop.id]);
  useEffect(() => {
    void useSessionCheckinStore.getState().loadSessions(stop.id);
  }, [stop.id]);
  useEffect(() => {
    if (!door) return;
    void useSessionCheckinStore.getState().refresh(stop.id, door.id);
    const timer = setInterval(() => void useSessionCheckinStore.getState().refreshCounts(stop.id), COUNTS_POLL_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stop.id, door?.id]);
  // With a venue hub, other desks' check-ins land here every few seconds: show them.
  useLiveRefresh(() => {
    if (door) void useSessionCheckinStore.getState().refresh(stop.id, door.id);
    else void useCheckinStore.getState().refresh(stop.id);
    void useAttendeeEditStore.getState().loadFlagged(stop.id);
  });

  // The USB scanner works anywhere on the screen, without a focused field (not while a form is open).
  useWedgeScanner((code, fromField) => {
    if (door) {
      if (fromField) void ss.setQuery(door.id, '');
      void ss.scan(stop.id, door.id, code);
      return;
    }
    if (fromField) void s.setQuery(stop.id, '');
    void s.scan(stop.id, code);
  }, !formOpen);
  useTypeToSearch(!formOpen);

  const query = door ? ss.query : s.query;
  const results: { view: DeskView; session?: SessionDeskView }[] = door ? ss.results.map((r) => ({ view: asSessionDesk(r), session: r })) : s.results.map((r) => ({ view: r }));
  const searching = door ? ss.searching : s.searching;
  const setQuery = (q: string) => (door ? ss.setQuery(door.id, q) : s.setQuery(stop.id, q));
  const checkIn = (registrationId: string) => (door ? ss.checkIn(stop.id, door.id, registrationId) : s.checkIn(stop.id, registrationId));
  const notice = door ? ss.notice : s.notice;
  const clearNotice = door ? ss.clearNotice : s.clearNotice;
  /** A walk-in at a session door goes into the session too (the walk-in itself checks in at the stop). */
  const afterRegistered = async (registrationId: string) => {
    if (door) await ss.checkIn(stop.id, door.id, registrationId);
  };

  // F2: the walk-in form, one key away (after an unknown code, or any time).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'F2' && !formOpen && canCheckIn) {
        e.preventDefault();
        setWalkInOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [formOpen, canCheckIn]);

  function onShown(n: CheckinNotice) {
    if (n.viaScan) markScanShown();
    if (n.kind === 'checked_in' || n.kind === 'walk_in') beep('ok');
    else if (n.kind === 'already') beep('warn');
    else if (n.kind === 'unknown' || n.kind === 'error') beep('error');
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSelected((i) => Math.min(i + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      // Enter checks the selected person in (or shows when and where they already were).
      const r = results[selected];
      if (r) void checkIn(r.view.registrationId);
    } else if (e.key === 'Escape') {
      setSelected(0);
      clearNotice();
      void setQuery('');
    }
  }

  function openBadges(r: { registrationId: string; name: string } | null) {
    setBadgeFor(r);
    setBadgeScope(r ? 'person' : 'all');
    setBadgeOpen(true);
  }
  const badgeTarget = () => ({
    stopId: stop.id,
    registrationIds: badgeScope === 'person' && badgeFor ? [badgeFor.registrationId] : [],
    allPreregistered: badgeScope === 'all',
  });

  const closeImport = () => {
    setImportOpen(false);
    useImportStore.getState().reset();
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('checkin.title')}</Title>
        {door ? <SessionCountsBar counts={ss.counts.find((c) => c.sessionId === door.id) ?? null} /> : <CountsBar counts={s.counts} />}
      </Group>
      <Group gap="sm" align="flex-end">
        {ss.sessions.length > 0 && <DoorPicker sessions={ss.sessions} value={ss.sessionId} onChange={(id) => ss.setDoor(id)} />}
        {canCheckIn && (
          <Button variant="light" onClick={() => setWalkInOpen(true)}>
            {t('checkin.walkIn')}
          </Button>
        )}
        {canCheckIn && (
          <Button variant="light" onClick={() => setCameraOpen((o) => !o)} aria-pressed={cameraOpen}>
            {t('desk.camera')}
          </Button>
        )}
        {canImport && (
          <Button
            variant="light"
            onClick={() => {
              setImportOpen(true);
              useImportStore.getState().prepare();
            }}
          >
            {t('desk.import')}
          </Button>
        )}
        {canCheckIn && (
          <Button variant="light" onClick={() => openBadges(null)}>
            {t('badges.open')}
          </Button>
        )}
      </Group>
      {door && (
        <Text size="sm" c="teal.9" mt={-8}>
          {t('sessionCheckin.modeHint', { session: doorTitle })}
        </Text>
      )}
      {cameraOpen && (
        <CameraScanner
          onCode={(code) => {
            performance.mark('scan:enter');
            if (door) void ss.scan(stop.id, door.id, code);
            else void s.scan(stop.id, code);
          }}
          onClose={() => setCameraOpen(false)}
        />
      )}
      {notice && (
        <CheckinNoticeBanner
          notice={notice}
          timeZone={stop.timeZone}
          sessionTitle={doorTitle}
          stopAlso={door ? ss.notice?.stopAlso : undefined}
          onClose={clearNotice}
          onWalkIn={() => setWalkInOpen(true)}
          onShown={onShown}
          onBadge={(r) => openBadges({ registrationId: r.registrationId, name: formatName(r.attendee) })}
        />
      )}
      <FlaggedAttendeesAlert flagged={edit.flagged} canResolve={canEdit} onOpen={(f) => openEdit(f.attendee.id, f.registrationId)} />
      <TextInput
        size="lg"
        label={t('checkin.search')}
        description={t('desk.scanHint')}
        placeholder={t('checkin.searchPlaceholder')}
        value={query}
        onChange={(e) => {
          setSelected(0);
          void setQuery(e.currentTarget.value);
        }}
        onKeyDown={onKeyDown}
        autoComplete="off"
        autoFocus
        data-scan-field
      />
      <Stack role="list" aria-label={door && !query ? t('sessionCheckin.latest') : t('checkin.results')} gap={4}>
        {results.map(({ view: r, session }, i) => (
          <RegistrationRow
            key={r.registrationId}
            registration={r}
            selected={i === selected}
            timeZone={stop.timeZone}
            session={session ? { atStop: session.checkIn !== null } : undefined}
            onCheckIn={() => void checkIn(r.registrationId)}
            onUndo={() => (session ? setSessionUndo(session) : setUndoTarget(r))}
            onHistory={() => {
              void s.loadHistory(r.attendee.id);
              void edit.loadDetails(r.attendee.id);
            }}
            onEdit={canEdit ? () => openEdit(r.attendee.id, r.registrationId) : undefined}
            editConflict={edit.flagged.some((f) => f.attendee.id === r.attendee.id)}
          />
        ))}
        {!searching && query && results.length === 0 && <Text c="dimmed">{t('checkin.noResults', { query })}</Text>}
        {door && !searching && !query && results.length === 0 && <Text c="dimmed">{t('sessionCheckin.nobody')}</Text>}
      </Stack>
      <Modal opened={undoTarget !== null} onClose={() => setUndoTarget(null)} title={t('checkin.undo')}>
        {undoTarget?.checkIn && (
          <UndoCheckInForm
            onCancel={() => setUndoTarget(null)}
            onSubmit={(reason) => {
              void s.undo(stop.id, undoTarget.checkIn!.eventId, reason);
              setUndoTarget(null);
            }}
          />
        )}
      </Modal>
      <Modal opened={sessionUndo !== null} onClose={() => setSessionUndo(null)} title={t('sessionCheckin.undoTitle')}>
        {sessionUndo?.session.checkIn && (
          <UndoCheckInForm
            // Offered only while the stop check-in made with this one is the person's standing check-in.
            alsoStopLabel={sessionUndo.session.checkIn.stopCheckInEventId && sessionUndo.checkIn?.eventId === sessionUndo.session.checkIn.stopCheckInEventId ? t('sessionCheckin.undoAlsoStop') : undefined}
            onCancel={() => setSessionUndo(null)}
            onSubmit={(reason, alsoStop) => {
              void ss.undo(stop.id, sessionUndo.session.checkIn!.eventId, reason, alsoStop);
              setSessionUndo(null);
            }}
          />
        )}
      </Modal>
      <Modal opened={s.history !== null} onClose={s.closeHistory} title={historyTarget ? t('desk.historyName', { name: formatName(historyTarget.attendee) }) : t('desk.historyTitle')} size="lg">
        {s.history && (
          <AttendeeHistory
            entries={s.history.entries}
            stops={stops}
            timeZone={stop.timeZone}
            details={edit.details?.attendeeId === s.history.attendeeId ? edit.details.entries : undefined}
          />
        )}
        {s.history && <ConsentHistorySection attendeeId={s.history.attendeeId} timeZone={stop.timeZone} />}
      </Modal>
      <Modal
        opened={walkInOpen}
        onClose={() => {
          setWalkInOpen(false);
          useCheckinStore.setState({ similar: [] });
        }}
        title={t('walkIn.title')}
        size="lg"
      >
        <WalkInForm
          stopId={stop.id}
          similar={s.similar}
          onNamesChange={(names) => void s.findSimilar({ stopId: stop.id, ...names })}
          onPickSimilar={async (attendeeId) => {
            const registration = await s.registerExisting(stop.id, attendeeId);
            setWalkInOpen(false);
            await afterRegistered(registration.registrationId);
          }}
          onCancel={() => setWalkInOpen(false)}
          onSubmit={async (input) => {
            const registration = await s.registerWalkIn(input);
            setWalkInOpen(false);
            await afterRegistered(registration.registrationId);
          }}
        />
      </Modal>
      <Modal opened={badgeOpen} onClose={() => setBadgeOpen(false)} title={t('badges.title')}>
        <BadgeDialog
          layout={badges.layout}
          personName={badgeFor ? badgeFor.name : null}
          scope={badgeScope}
          busy={badges.busy}
          error={badges.error}
          onLayout={badges.setLayout}
          onScope={setBadgeScope}
          onClose={() => setBadgeOpen(false)}
          onPdf={() =>
            void badges.pdf(badgeTarget()).then((out) => {
              if (!out) return;
              const bytes = Uint8Array.from(atob(out.base64), (c) => c.charCodeAt(0));
              const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
              const a = document.createElement('a');
              a.href = url;
              a.download = out.fileName;
              a.click();
              setTimeout(() => URL.revokeObjectURL(url), 1000);
            })
          }
          onPrint={() => void badges.print(badgeTarget())}
        />
      </Modal>
      <AttendeeEditModal
        stop={stop}
        onReprint={(attendee) => {
          // The badge of this person's registration here, made from the corrected details.
          if (editReg) openBadges({ registrationId: editReg, name: formatName(attendee) });
        }}
      />
      {badges.printing && <BadgePrintSheet {...badges.printing} />}
      <Modal opened={importOpen} onClose={closeImport} title={t('importer.title')} size="80%" closeOnClickOutside={false}>
        <ImportDialogContainer
          stopId={stop.id}
          onImported={() => {
            void s.refresh(stop.id);
            if (door) void ss.refresh(stop.id, door.id);
          }}
          onClose={closeImport}
          download={download}
        />
      </Modal>
    </Stack>
  );
}

import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingBrief } from '../../shared/ipc/checkinContract';
import { errorMessage } from '../i18n/errorMessage';
import { formatName, formatTime } from '../i18n/formatName';
import type { CheckinNotice } from '../state/checkinStore';

export interface CheckinNoticeBannerProps {
  notice: CheckinNotice;
  timeZone?: string;
  onClose(): void;
  /** Unknown code: open the walk-in form (also on F2). */
  onWalkIn(): void;
  /** Called once the notice is on screen (the scan timing mark, the sound). */
  onShown?(notice: CheckinNotice): void;
  /** Print or download the person's badge. */
  onBadge?(registration: Extract<CheckinNotice, { registration: unknown }>['registration']): void;
  /** At a session door: the session's title (the notice is about the session's check-in). */
  sessionTitle?: string;
  /** At a session door: the stop check-in was made with this one (the person's first of the stop). */
  stopAlso?: boolean;
}

function BookingList({ bookings, timeZone }: { bookings: BookingBrief[]; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={2}>
      <Text fw={600}>{t('desk.todaysBookings')}</Text>
      {bookings.length === 0 ? (
        <Text c="dimmed">{t('desk.noBookings')}</Text>
      ) : (
        <List size="lg">
          {bookings.map((b) => (
            <List.Item key={b.bookingId}>
              {t('desk.booking', { time: b.slotStart ? formatTime(b.slotStart, i18n.language, timeZone) : '–', institution: b.institution, location: b.location })}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** The large confirmation or warning at the door: readable from a step away, with both scripts of the name. */
export function CheckinNoticeBanner({ notice, timeZone, onClose, onWalkIn, onShown, onBadge, sessionTitle, stopAlso }: CheckinNoticeBannerProps) {
  const { t, i18n } = useTranslation();
  const walkInButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    onShown?.(notice);
    if (notice.kind === 'unknown') walkInButton.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notice.seq]);

  if (notice.kind === 'error') {
    return (
      <Alert color="red" role="alert" title={t('desk.errorTitle')} withCloseButton onClose={onClose} closeButtonLabel={t('desk.close')}>
        {errorMessage(t, notice.error)}
      </Alert>
    );
  }
  if (notice.kind === 'unknown') {
    return (
      <Paper role="alert" aria-label={t('desk.unknownTitle')} withBorder p="lg" radius="md" bg="var(--mantine-color-red-light)" data-notice="unknown">
        <Stack gap="xs">
          <Title order={2}>{t('desk.unknownTitle')}</Title>
          <Text size="lg">{t('desk.unknownDetail', { token: notice.token })}</Text>
          <Group>
            <Button ref={walkInButton} size="lg" color="red" onClick={onWalkIn}>
              {t('desk.unknownAction')}
            </Button>
            <Button size="lg" variant="default" onClick={onClose}>
              {t('desk.close')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    );
  }
  const r = notice.registration;
  const a = r.attendee;
  const latin = [a.givenName, a.familyName].filter(Boolean).join(' ');
  const session = sessionTitle === undefined ? null : { session: sessionTitle };
  const look = {
    checked_in: { color: 'green', title: session ? t('sessionCheckin.confirmTitle', session) : t('desk.confirmTitle') },
    walk_in: { color: 'green', title: t('desk.walkInTitle') },
    undone: { color: 'blue', title: session ? t('sessionCheckin.undoneTitle', session) : t('desk.undoneTitle') },
    already: { color: 'orange', title: session ? t('sessionCheckin.alreadyTitle', session) : t('desk.alreadyTitle') },
  }[notice.kind];
  return (
    <Paper
      role="status"
      aria-label={look.title}
      withBorder
      p="lg"
      radius="md"
      bg={`var(--mantine-color-${look.color}-light)`}
      style={{ borderColor: `var(--mantine-color-${look.color}-6)`, borderWidth: 3 }}
      data-notice={notice.kind}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text fw={700} c={`${look.color}.9`} size="lg">
            {look.title}
          </Text>
          {latin && (
            <Text fw={800} style={{ fontSize: 40, lineHeight: 1.1 }} lang="en">
              {latin}
            </Text>
          )}
          {a.nameKo && (
            <Text fw={800} style={{ fontSize: latin ? 32 : 40, lineHeight: 1.1 }} lang="ko">
              {a.nameKo}
            </Text>
          )}
          {a.affiliation && <Text size="xl">{a.affiliation}</Text>}
          {notice.kind === 'already' && r.checkIn && (
            <Text size="xl" fw={700} c="orange.9">
              {t('desk.alreadyDetail', { desk: r.checkIn.desk, time: formatTime(r.checkIn.at, i18n.language, timeZone) })}
            </Text>
          )}
          {notice.kind === 'checked_in' && <Text fw={600}>{t('checkin.success', { name: latin || a.nameKo })}</Text>}
          {notice.kind === 'checked_in' && stopAlso && <Text fw={600}>{t('sessionCheckin.alsoAtStop')}</Text>}
          {notice.kind === 'undone' && <Text fw={600}>{t('checkin.undone', { name: latin || a.nameKo })}</Text>}
          {notice.kind === 'walk_in' && <Text fw={600}>{t('walkIn.done', { name: latin || a.nameKo })}</Text>}
        </Stack>
        <Stack gap="sm" align="flex-end">
          {onBadge && notice.kind !== 'undone' && (
            <Button variant="light" onClick={() => onBadge(r)} aria-label={t('badges.badgeName', { name: formatName(a) })}>
              {t('badges.badge')}
            </Button>
          )}
          <Button variant="subtle" onClick={onClose}>
            {t('desk.close')}
          </Button>
        </Stack>
      </Group>
      {(notice.kind === 'checked_in' || notice.kind === 'already' || notice.kind === 'walk_in') && (
        <Stack mt="sm">
          <BookingList bookings={r.bookings} timeZone={timeZone} />
        </Stack>
      )}
    </Paper>
  );
}

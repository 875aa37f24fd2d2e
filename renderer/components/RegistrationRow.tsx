import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeskView } from '../../shared/ipc/checkinContract';
import { formatName, formatTime } from '../i18n/formatName';

export interface RegistrationRowProps {
  registration: DeskView;
  selected: boolean;
  timeZone?: string;
  onCheckIn(): void;
  onUndo(): void;
  onHistory(): void;
  /**
   * At a session door: `registration.checkIn` is the session's check-in, and the row also says whether
   * the person is checked in at the stop.
   */
  session?: { atStop: boolean };
  /** Correct the person's details (desk staff and stop leads). */
  onEdit?(): void;
  /** Two desks' corrections of this person clash and wait for someone to choose. */
  editConflict?: boolean;
}

/** One search result: who, registration status, where and when checked in, booked consultations. */
export function RegistrationRow({ registration: r, selected, timeZone, onCheckIn, onUndo, onHistory, session, onEdit, editConflict }: RegistrationRowProps) {
  const { t, i18n } = useTranslation();
  const name = formatName(r.attendee);
  return (
    <Group
      role="listitem"
      aria-label={name}
      aria-current={selected ? 'true' : undefined}
      justify="space-between"
      wrap="nowrap"
      p="sm"
      style={{
        borderRadius: 8,
        background: selected ? 'var(--mantine-color-blue-light)' : undefined,
        outline: selected ? '2px solid var(--mantine-color-blue-5)' : undefined,
      }}
    >
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Text>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {[r.attendee.affiliation, r.attendee.email, t(`careerStage.${r.attendee.careerStage}`)].filter(Boolean).join(' · ')}
        </Text>
        <Group gap={6} aria-label={t('desk.status')}>
          <Badge variant="light" color="gray">
            {t(`source.${r.source}`)}
          </Badge>
          {r.checkIn ? (
            <Badge color="green">
              {t(session ? 'sessionCheckin.inSessionAt' : 'checkin.checkedInAt', { desk: r.checkIn.desk, time: formatTime(r.checkIn.at, i18n.language, timeZone) })}
            </Badge>
          ) : (
            <Badge color="yellow" variant="outline">
              {t(session ? 'sessionCheckin.notInSession' : 'checkin.notCheckedIn')}
            </Badge>
          )}
          {session && (
            <Badge color={session.atStop ? 'teal' : 'gray'} variant="light">
              {t(session.atStop ? 'sessionCheckin.atStop' : 'sessionCheckin.notAtStop')}
            </Badge>
          )}
          {r.duplicateCheckIns.length > 0 && <Badge color="orange">{t('checkin.duplicates', { count: r.duplicateCheckIns.length })}</Badge>}
          {editConflict && <Badge color="orange">{t('attendeeEdit.conflictBadge')}</Badge>}
          {r.bookings.map((b) => (
            <Badge key={b.bookingId} variant="light" color="grape">
              {t('desk.booking', { time: b.slotStart ? formatTime(b.slotStart, i18n.language, timeZone) : '–', institution: b.institution, location: b.location })}
            </Badge>
          ))}
        </Group>
      </Stack>
      <Group gap="xs" wrap="nowrap">
        {onEdit && (
          <Button variant="default" onClick={onEdit} aria-label={t('attendeeEdit.editName', { name })}>
            {t('attendeeEdit.edit')}
          </Button>
        )}
        <Button variant="default" onClick={onHistory} aria-label={t('desk.historyName', { name })}>
          {t('desk.history')}
        </Button>
        {r.checkIn ? (
          <Button variant="subtle" color="red" onClick={onUndo} aria-label={t('checkin.undoName', { name })}>
            {t('checkin.undo')}
          </Button>
        ) : (
          <Button onClick={onCheckIn} aria-label={t('checkin.checkInName', { name })}>
            {t('checkin.checkIn')}
          </Button>
        )}
      </Group>
    </Group>
  );
}

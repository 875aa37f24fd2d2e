import { Alert, Badge, Button, Divider, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationView } from '../../shared/schemas/attendees';
import type { BookingView, BoothScheduleRow, SlotView } from '../../shared/schemas/booths';
import { formatName } from '../i18n/formatName';
import { formatStopTime } from '../i18n/formatStopTime';
import { BookingItem, type SlotOption } from './BookingItem';
import { OfferCountdown } from './OfferCountdown';

export interface SlotPanelProps {
  row: BoothScheduleRow;
  slot: SlotView;
  timeZone: string;
  /** The screen's clock (ms), ticking each second while an offer with a time limit is open. */
  now: number;
  bookings: BookingView[];
  moveOptions: SlotOption[];
  query: string;
  candidates: RegistrationView[];
  onSearch(query: string): void;
  onScan(token: string): Promise<boolean>;
  onBook(registrationId: string): void;
  onWalkUp(registrationId: string): void;
  onJoinWaitlist(registrationId: string): void;
  onAttendance(bookingId: string, attendance: 'attended' | 'no_show'): void;
  onMove(bookingId: string, target: string): void;
  onCancel(bookingId: string): void;
  onPrintCard(attendeeId: string): void;
  onAccept(entryId: string): void;
  onDecline(entryId: string): void;
  onLeave(entryId: string): void;
}

/** A selected slot: its bookings, finding and booking a person, and the booth's waitlist. */
export function SlotPanel(p: SlotPanelProps) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [unknownBadge, setUnknownBadge] = useState(false);
  // A slot that has ended is booked only after a confirmation (e.g. to record a consultation that took place).
  const [pastAsk, setPastAsk] = useState<{ kind: 'book' | 'walkUp'; registrationId: string; name: string } | null>(null);
  const booth = p.row.booth.institution.shortName;
  const taken = p.slot.booked + p.slot.held;
  const past = Date.parse(p.slot.end) <= p.now;
  const book = (kind: 'book' | 'walkUp', registrationId: string, name: string) => {
    if (past) return setPastAsk({ kind, registrationId, name });
    if (kind === 'book') p.onBook(registrationId);
    else p.onWalkUp(registrationId);
  };
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600}>{t('booths.slotTitle', { booth, start: p.slot.localStart, end: p.slot.localEnd })}</Text>
        <Badge size="lg" color={taken >= p.slot.capacity ? 'red' : taken > 0 ? 'yellow' : 'green'}>
          {p.slot.booked}/{p.slot.capacity}
        </Badge>
      </Group>
      {past && (
        <Alert color="orange" p="xs">
          {t('deskFit.pastSlot', { end: p.slot.localEnd })}
        </Alert>
      )}
      {pastAsk && (
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-orange-light)" role="alertdialog" aria-label={t('deskFit.pastConfirmTitle')}>
          <Text fw={700}>{t('deskFit.pastConfirmTitle')}</Text>
          <Text size="sm">{t('deskFit.pastConfirm', { name: pastAsk.name, booth, start: p.slot.localStart, end: p.slot.localEnd })}</Text>
          <Group gap="xs" mt="xs">
            <Button
              size="compact-sm"
              color="orange"
              onClick={() => {
                if (pastAsk.kind === 'book') p.onBook(pastAsk.registrationId);
                else p.onWalkUp(pastAsk.registrationId);
                setPastAsk(null);
              }}
            >
              {t(pastAsk.kind === 'book' ? 'deskFit.pastBookAnyway' : 'deskFit.pastWalkUpAnyway')}
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => setPastAsk(null)}>
              {t('deskFit.pastCancel')}
            </Button>
          </Group>
        </Paper>
      )}
      <Title order={4}>{t('booths.bookings')}</Title>
      <Stack role="list" aria-label={t('booths.bookings')} gap={6}>
        {p.bookings.length === 0 && <Text c="dimmed">{t('booths.noBookings')}</Text>}
        {p.bookings.map((b) => (
          <BookingItem
            key={b.bookingId}
            booking={b}
            moveOptions={p.moveOptions}
            onAttendance={(a) => p.onAttendance(b.bookingId, a)}
            onMove={(target) => p.onMove(b.bookingId, target)}
            onCancel={() => p.onCancel(b.bookingId)}
            onPrintCard={() => p.onPrintCard(b.attendee.id)}
          />
        ))}
      </Stack>
      <Divider />
      <Group grow align="flex-start">
        <TextInput label={t('booths.find')} placeholder={t('booths.findPlaceholder')} value={p.query} onChange={(e) => p.onSearch(e.currentTarget.value)} autoComplete="off" data-autofocus />
        <TextInput
          label={t('booths.badge')}
          placeholder={t('booths.badgePlaceholder')}
          value={token}
          error={unknownBadge ? t('booths.badgeUnknown') : null}
          onChange={(e) => {
            setToken(e.currentTarget.value);
            setUnknownBadge(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && token.trim()) {
              e.preventDefault();
              void p.onScan(token.trim()).then((found) => setUnknownBadge(!found));
            }
          }}
          autoComplete="off"
        />
      </Group>
      <Stack role="list" aria-label={t('booths.candidates')} gap={4}>
        {p.candidates.map((r) => {
          const name = formatName(r.attendee);
          return (
            <Group key={r.registrationId} role="listitem" aria-label={name} justify="space-between" wrap="nowrap" p={6} style={{ borderRadius: 6, background: 'var(--mantine-color-gray-0)' }}>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {name}
                </Text>
                <Group gap={4}>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {r.attendee.affiliation}
                  </Text>
                  {!r.checkIn && (
                    <Badge size="xs" color="yellow">
                      {t('booths.notCheckedIn')}
                    </Badge>
                  )}
                </Group>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" onClick={() => book('book', r.registrationId, name)} aria-label={t('booths.bookName', { name })}>
                  {t('booths.book')}
                </Button>
                <Button size="compact-sm" variant="light" onClick={() => book('walkUp', r.registrationId, name)} aria-label={t('booths.walkUpName', { name })}>
                  {t('booths.walkUp')}
                </Button>
                <Button size="compact-sm" variant="light" color="grape" onClick={() => p.onJoinWaitlist(r.registrationId)} aria-label={t('booths.waitlistJoinName', { name })}>
                  {t('booths.waitlistJoin')}
                </Button>
              </Group>
            </Group>
          );
        })}
      </Stack>
      <Divider />
      <Title order={4}>{t('booths.waitlistOf', { booth })}</Title>
      <Stack role="list" aria-label={t('booths.waitlistOf', { booth })} gap={4}>
        {p.row.waitlist.length === 0 && <Text c="dimmed">{t('booths.waitlistEmpty')}</Text>}
        {p.row.waitlist.map((w, i) => {
          const name = formatName(w.attendee);
          return (
            <Group key={w.entryId} role="listitem" aria-label={name} justify="space-between" wrap="nowrap">
              <Group gap={6}>
                <Text size="sm">
                  {i + 1}. {name}
                </Text>
                {w.offer && <Badge color="grape">{t('booths.offered', { time: formatStopTime(w.offer.slotStart, p.timeZone) })}</Badge>}
                {w.offer && <OfferCountdown expiresAt={w.offer.expiresAt} now={p.now} name={name} />}
                {!w.offer && w.expiredOffer && (
                  <Badge color="red" variant="outline" aria-label={t('noShow.expiredName', { name, time: formatStopTime(w.expiredOffer.slotStart, p.timeZone) })}>
                    {t('noShow.expired', { time: formatStopTime(w.expiredOffer.slotStart, p.timeZone) })}
                  </Badge>
                )}
              </Group>
              <Group gap={4} wrap="nowrap">
                {w.offer && (
                  <>
                    <Button size="compact-sm" color="grape" onClick={() => p.onAccept(w.entryId)} aria-label={t('booths.acceptName', { name })}>
                      {t('booths.accept')}
                    </Button>
                    <Button size="compact-sm" variant="light" color="grape" onClick={() => p.onDecline(w.entryId)} aria-label={t('booths.declineName', { name })}>
                      {t('booths.decline')}
                    </Button>
                  </>
                )}
                <Button size="compact-sm" variant="subtle" color="gray" onClick={() => p.onLeave(w.entryId)} aria-label={t('booths.leaveName', { name })}>
                  {t('booths.leave')}
                </Button>
              </Group>
            </Group>
          );
        })}
      </Stack>
    </Stack>
  );
}

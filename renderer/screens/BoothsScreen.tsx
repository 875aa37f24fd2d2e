import { Alert, Badge, Box, Button, Group, Modal, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';
import { INSTITUTION_KINDS, RESEARCH_FIELDS, type InstitutionKind, type ResearchField } from '../../shared/vocab';
import { AddBoothForm } from '../components/AddBoothForm';
import { AttendeeCardPrint } from '../components/AttendeeCardPrint';
import { BoothGrid } from '../components/BoothGrid';
import { BoothPlanForm } from '../components/BoothPlanForm';
import { BoothSchedulePrint } from '../components/BoothSchedulePrint';
import type { SlotOption } from '../components/BookingItem';
import { ConflictList } from '../components/ConflictList';
import { NoShowRulesForm } from '../components/NoShowRulesForm';
import { SlotPanel } from '../components/SlotPanel';
import { STATUS_STYLE } from '../components/slotStatus';
import { boothErrorMessage } from '../i18n/boothErrorMessage';
import { errorMessage } from '../i18n/errorMessage';
import { formatName } from '../i18n/formatName';
import { formatStopTime } from '../i18n/formatStopTime';
import { planFieldErrors } from '../i18n/planFieldErrors';
import { useAppStore } from '../state/appStore';
import { useBoothStore, type BoothNotice, type SlotRef } from '../state/boothStore';
import { useNoShowStore } from '../state/noShowStore';
import { useCanConfigure } from '../state/permissions';
import { useLiveRefresh } from '../state/useLiveRefresh';

/**
 * window.print() prints only the sheet: a copy of the preview rendered straight under <body>
 * (outside the modal, which clips and scrolls), shown for print media alone.
 */
const PRINT_CSS = `
.rd-print-root { display: none; }
@media print {
  body > *:not(.rd-print-root) { display: none !important; }
  .rd-print-root { display: block; padding: 10mm; }
}`;
const toRef = (value: string): SlotRef => {
  const [boothId, slotStart] = value.split('|') as [string, string];
  return { boothId, slotStart };
};

export function BoothsScreen({ stop, clock = Date.now }: { stop: Stop; clock?: () => number }) {
  const { t, i18n } = useTranslation();
  const s = useBoothStore();
  const stops = useAppStore((a) => a.stops);
  const configures = useCanConfigure();
  const [now, setNow] = useState(clock);
  const [copyFrom, setCopyFrom] = useState<string | null>(null);
  const rules = useNoShowStore();
  /** The countdowns' clock: ticks every second while an offer with a time limit is open. */
  const [tick, setTick] = useState(clock);

  useEffect(() => {
    void s.load(stop.id);
    void useNoShowStore.getState().load(stop.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stop.id]);
  // With a venue hub, other desks' bookings land here every few seconds: show them.
  useLiveRefresh(() => void useBoothStore.getState().load(stop.id));
  useEffect(() => {
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), 30_000);
    return () => clearInterval(timer);
  }, [clock]);

  const sched = s.schedule && s.schedule.stopId === stop.id ? s.schedule : null;
  // The earliest time limit of an open offer: the countdowns tick until then, and when it passes the
  // schedule is read again (core passes the expired offer to the next person on that read).
  const nextExpiry = useMemo(() => {
    const limits = (sched?.rows ?? []).flatMap((r) => r.waitlist.flatMap((w) => (w.offer?.expiresAt ? [Date.parse(w.offer.expiresAt)] : [])));
    return limits.length > 0 ? Math.min(...limits) : null;
  }, [sched]);
  useEffect(() => {
    if (nextExpiry === null) return;
    setTick(clock());
    const timer = setInterval(() => setTick(clock()), 1000);
    return () => clearInterval(timer);
  }, [nextExpiry, clock]);
  // Read again when an offer runs out, and every 5 s while core still holds it open (its clock may lag a little).
  const expiryPoll = nextExpiry !== null && tick >= nextExpiry ? Math.floor((tick - nextExpiry) / 5000) : -1;
  useEffect(() => {
    if (expiryPoll >= 0) void useBoothStore.getState().load(stop.id);
  }, [expiryPoll, stop.id]);
  const tz = sched?.timeZone ?? stop.timeZone;
  const rows = useMemo(
    () =>
      (sched?.rows ?? []).filter(
        (r) => (!s.fieldFilter || (r.plan?.fields ?? []).includes(s.fieldFilter)) && (!s.kindFilter || r.booth.institution.kind === s.kindFilter),
      ),
    [sched, s.fieldFilter, s.kindFilter],
  );
  const boothName = (id: string) => sched?.rows.find((r) => r.booth.id === id)?.booth.institution.shortName ?? id;
  const conflictSlots = useMemo(() => new Set((sched?.bookings ?? []).filter((b) => b.conflicted).map((b) => `${b.boothId}|${b.slotStart}`)), [sched]);
  const moveOptions: SlotOption[] = useMemo(
    () =>
      (sched?.rows ?? []).flatMap((r) =>
        r.slots
          .filter((x) => x.booked + x.held < x.capacity)
          .map((x) => ({ value: `${r.booth.id}|${x.start}`, label: `${r.booth.institution.shortName} ${x.localStart} (${x.booked}/${x.capacity})` })),
      ),
    [sched],
  );
  const city = i18n.language === 'ko' && stop.cityKo ? stop.cityKo : stop.city;
  const stopLabel = `${stop.round} · ${city} · ${stop.date}`;

  const selRow = s.selected && sched?.rows.find((r) => r.booth.id === s.selected!.boothId);
  const selSlot = selRow && selRow.slots.find((x) => x.start === s.selected!.slotStart);
  const planRow = s.planFor ? sched?.rows.find((r) => r.booth.id === s.planFor) : undefined;
  const printRow = s.printTarget?.kind === 'booth' ? sched?.rows.find((r) => r.booth.id === (s.printTarget as { boothId: string }).boothId) : undefined;
  const printCard = s.printTarget?.kind === 'attendee' ? (sched?.bookings ?? []).filter((b) => b.attendee.id === (s.printTarget as { attendeeId: string }).attendeeId && b.attendance !== 'no_show') : [];

  function noticeText(n: BoothNotice): { text: string; color: string; extra: string[] } {
    const offerText = (offer: { attendee: Parameters<typeof formatName>[0]; boothId: string; offer: { slotStart: string } | null } | null) =>
      offer?.offer ? [t('booths.notice.offered', { booth: boothName(offer.boothId), time: formatStopTime(offer.offer.slotStart, tz), name: formatName(offer.attendee) })] : [];
    switch (n.kind) {
      case 'booked':
      case 'walkUp':
      case 'moved':
        return {
          text: t(`booths.notice.${n.kind}`, { name: formatName(n.name), booth: boothName(n.boothId), time: formatStopTime(n.slotStart, tz) }),
          color: n.warnings.length ? 'yellow' : 'green',
          extra: [
            ...n.warnings.map((w) => t('booths.warningDistant', { location: w.otherLocation })),
            ...offerText(n.offer),
          ],
        };
      case 'cancelled':
      case 'resolved':
        return { text: t(`booths.notice.${n.kind}`), color: 'blue', extra: offerText(n.offer) };
      case 'joined':
        return { text: t('booths.notice.joined', { name: formatName(n.entry.attendee), booth: boothName(n.entry.boothId) }), color: 'grape', extra: [] };
      case 'left':
        return { text: t('booths.notice.left'), color: 'blue', extra: [] };
      case 'marked':
        return { text: t('booths.notice.marked', { name: formatName(n.name), attendance: t(`booths.attendance.${n.attendance}`) }), color: 'blue', extra: offerText(n.offer) };
      case 'planSaved':
        return { text: t('booths.notice.planSaved', { booth: boothName(n.boothId) }), color: 'green', extra: [] };
      case 'copied':
        return { text: t('booths.copied', { copied: n.copied, skipped: n.skipped }), color: 'green', extra: [] };
      case 'copiedBooths':
        return { text: t('boothAdmin.copied', { booths: n.boothsCreated, plans: n.plansCopied, skipped: n.skipped }), color: 'green', extra: [] };
      case 'boothAdded':
        return { text: t('boothAdmin.added', { booth: boothName(n.boothId) }), color: 'green', extra: [] };
      case 'boothRemoved':
        return {
          text: t('boothAdmin.removed', { booth: n.booth }),
          color: n.bookingsKept > 0 ? 'yellow' : 'green',
          extra: n.bookingsKept > 0 ? [t('boothAdmin.removedKept', { count: n.bookingsKept })] : [],
        };
      case 'error':
        return { text: boothErrorMessage(t, n.error, tz), color: 'red', extra: [] };
    }
  }
  const notice = s.notice ? noticeText(s.notice) : null;
  const removeRow = s.removing ? sched?.rows.find((r) => r.booth.id === s.removing) : undefined;
  const removeKeeps = removeRow ? (sched?.bookings ?? []).filter((b) => b.boothId === removeRow.booth.id && b.attendance !== 'no_show').length : 0;
  const copySources = stops.filter((x) => x.id !== stop.id && x.tourId === stop.tourId);
  const printSheet =
    sched && (printRow || printCard.length > 0) ? (
      <>
        {printRow && <BoothSchedulePrint row={printRow} bookings={sched.bookings} stopLabel={stopLabel} />}
        {printCard.length > 0 && <AttendeeCardPrint bookings={printCard} rows={sched.rows} timeZone={tz} stopLabel={stopLabel} />}
      </>
    ) : null;

  return (
    <Stack gap="md">
      <style>{PRINT_CSS}</style>
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{t('booths.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('booths.timeZone', { tz })}
          </Text>
          {rules.settings && rules.settings.stopId === stop.id && (
            <Group gap="xs">
              <Text size="sm" c="dimmed" data-testid="noshow-rules">
                {[
                  rules.settings.autoNoShowMinutes !== null ? t('noShow.summaryAuto', { minutes: rules.settings.autoNoShowMinutes }) : t('noShow.summaryManual'),
                  rules.settings.offerExpiryMinutes !== null ? t('noShow.summaryExpiry', { minutes: rules.settings.offerExpiryMinutes }) : t('noShow.summaryNoExpiry'),
                ].join(' · ')}
              </Text>
              {configures && (
                <Button size="compact-xs" variant="subtle" onClick={() => rules.edit(true)}>
                  {t('noShow.rules')}
                </Button>
              )}
            </Group>
          )}
          {rules.saved && (
            <Text size="sm" c="green" role="status">
              {t('noShow.saved')}
            </Text>
          )}
        </Stack>
        <Group gap="xs" role="group" aria-label={t('booths.legend')}>
          {(['free', 'partial', 'full', 'past'] as const).map((k) => (
            <Badge key={k} variant="outline" style={{ background: STATUS_STYLE[k].bg, color: STATUS_STYLE[k].fg, borderColor: STATUS_STYLE[k].border }}>
              {t(`booths.status.${k}`)}
            </Badge>
          ))}
          <Badge variant="outline" color="orange" style={{ borderWidth: 2 }}>
            {t('booths.status.conflict')}
          </Badge>
        </Group>
      </Group>

      {notice && !s.selected && !s.planFor && !s.removing && (
        <Alert color={notice.color} role={s.notice?.kind === 'error' ? 'alert' : 'status'} withCloseButton onClose={s.clearNotice} closeButtonLabel={t('booths.close')}>
          <Text size="sm" fw={600}>
            {notice.text}
          </Text>
          {notice.extra.map((x) => (
            <Text size="sm" key={x}>
              {x}
            </Text>
          ))}
        </Alert>
      )}

      <Group align="flex-end">
        <Select
          label={t('booths.filterField')}
          data={[{ value: '', label: t('booths.all') }, ...RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))]}
          value={s.fieldFilter ?? ''}
          onChange={(v) => s.setFilters({ field: (v || null) as ResearchField | null })}
          allowDeselect={false}
          w={220}
        />
        <Select
          label={t('booths.filterKind')}
          data={[{ value: '', label: t('booths.all') }, ...INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`institutionKind.${k}`) }))]}
          value={s.kindFilter ?? ''}
          onChange={(v) => s.setFilters({ kind: (v || null) as InstitutionKind | null })}
          allowDeselect={false}
          w={220}
        />
        <Box style={{ flex: 1 }} />
        {configures && (
          <>
            <Select
              label={t('booths.copyFrom')}
              data={copySources.map((x) => ({ value: x.id, label: `${x.round} · ${i18n.language === 'ko' && x.cityKo ? x.cityKo : x.city} · ${x.date}` }))}
              value={copyFrom}
              onChange={setCopyFrom}
              w={260}
            />
            <Button variant="light" disabled={!copyFrom} onClick={() => copyFrom && void s.copyBooths(copyFrom)}>
              {t('booths.copy')}
            </Button>
            <Button onClick={() => void s.openAdd(true)}>{t('boothAdmin.add')}</Button>
          </>
        )}
      </Group>

      {sched && sched.rows.length === 0 && <Text c="dimmed">{t('booths.none')}</Text>}
      {sched && sched.rows.length > 0 && (
        <Box>
          <BoothGrid
            rows={rows}
            timeZone={tz}
            now={now}
            conflictSlots={conflictSlots}
            selected={s.selected}
            onSelect={(boothId, slotStart) => s.select({ boothId, slotStart })}
            onEditPlan={configures ? (boothId) => s.editPlan(boothId) : undefined}
            onRemove={configures ? (boothId) => s.askRemove(boothId) : undefined}
            onPrint={(boothId) => s.print({ kind: 'booth', boothId })}
          />
        </Box>
      )}

      {sched && (
        <Box>
          <ConflictList
            conflicts={sched.conflicts}
            boothName={boothName}
            timeZone={tz}
            moveOptions={moveOptions}
            onKeep={(id) => void s.resolveConflict(id, 'keep')}
            onCancel={(id) => void s.resolveConflict(id, 'cancel')}
            onMove={(id, target) => void s.resolveConflict(id, 'move', toRef(target))}
          />
        </Box>
      )}

      <Modal
        opened={Boolean(selRow && selSlot)}
        onClose={() => s.select(null)}
        title={selRow && selSlot ? t('booths.slotDialog', { booth: selRow.booth.institution.shortName, start: selSlot.localStart }) : ''}
        size="xl"
        closeButtonProps={{ 'aria-label': t('booths.close') }}
      >
        {notice && s.selected && (
          <Alert mb="sm" color={notice.color} role={s.notice?.kind === 'error' ? 'alert' : 'status'}>
            <Text size="sm" fw={600}>
              {notice.text}
            </Text>
            {notice.extra.map((x) => (
              <Text size="sm" key={x}>
                {x}
              </Text>
            ))}
          </Alert>
        )}
        {selRow && selSlot && sched && (
          <SlotPanel
            row={selRow}
            slot={selSlot}
            timeZone={tz}
            now={Math.max(now, tick)}
            bookings={sched.bookings.filter((b) => b.boothId === selRow.booth.id && b.slotStart === selSlot.start)}
            moveOptions={moveOptions.filter((o) => o.value !== `${selRow.booth.id}|${selSlot.start}`)}
            query={s.query}
            candidates={s.candidates}
            onSearch={(q) => void s.search(q)}
            onScan={(token) => s.scan(token)}
            onBook={(id) => void s.book(s.selected!, id)}
            onWalkUp={(id) => void s.walkUp(s.selected!, id)}
            onJoinWaitlist={(id) => void s.joinWaitlist(selRow.booth.id, id)}
            onAttendance={(id, a) => void s.markAttendance(id, a)}
            onMove={(id, target) => void s.move(id, toRef(target))}
            onCancel={(id) => void s.cancel(id)}
            onPrintCard={(attendeeId) => s.print({ kind: 'attendee', attendeeId })}
            onAccept={(id) => void s.acceptOffer(id)}
            onDecline={(id) => void s.declineOffer(id)}
            onLeave={(id) => void s.leaveWaitlist(id)}
          />
        )}
      </Modal>

      <Modal opened={rules.editing && configures} onClose={() => rules.edit(false)} title={t('noShow.rulesTitle', { stop: stopLabel })} size="lg" closeButtonProps={{ 'aria-label': t('booths.close') }}>
        {rules.editing && rules.settings && (
          <NoShowRulesForm
            settings={rules.settings}
            error={rules.error ? errorMessage(t, rules.error) : null}
            onCancel={() => rules.edit(false)}
            onSubmit={(fields) => void rules.save(stop.id, fields)}
          />
        )}
      </Modal>

      <Modal opened={Boolean(planRow)} onClose={() => s.editPlan(null)} title={planRow ? t('booths.planTitle', { booth: planRow.booth.institution.shortName }) : ''} size="lg" closeButtonProps={{ 'aria-label': t('booths.close') }}>
        {planRow && (
          <>
            <BoothPlanForm
              plan={planRow.plan}
              errors={s.notice?.kind === 'error' ? planFieldErrors(t, s.notice.error) : {}}
              onCancel={() => s.editPlan(null)}
              onSubmit={(plan) => void s.savePlan(planRow.booth.id, plan)}
            />
            {s.notice?.kind === 'error' && (
              <Alert mt="sm" color="red" role="alert">
                {boothErrorMessage(t, s.notice.error, tz)}
              </Alert>
            )}
          </>
        )}
      </Modal>

      <Modal opened={s.adding} onClose={() => void s.openAdd(false)} title={t('boothAdmin.addTitle', { round: stop.round, city })} size="lg" closeButtonProps={{ 'aria-label': t('booths.close') }}>
        {s.adding && (
          <AddBoothForm
            institutions={s.institutions.filter((i) => !(sched?.rows ?? []).some((r) => !r.booth.removed && r.booth.institutionId === i.id))}
            error={s.formError}
            describe={(e) => boothErrorMessage(t, e, tz)}
            onCancel={() => void s.openAdd(false)}
            onSubmit={(booth) => void s.addBooth(booth)}
          />
        )}
      </Modal>

      <Modal
        opened={Boolean(removeRow)}
        onClose={() => s.askRemove(null)}
        title={removeRow ? t('boothAdmin.removeTitle', { booth: removeRow.booth.institution.shortName }) : ''}
        closeButtonProps={{ 'aria-label': t('booths.close') }}
      >
        {removeRow && (
          <Stack>
            <Text>{t('boothAdmin.removeIntro', { booth: removeRow.booth.institution.shortName, location: removeRow.booth.location || '—' })}</Text>
            <Text fw={600}>{removeKeeps > 0 ? t('boothAdmin.removeKeeps', { count: removeKeeps }) : t('boothAdmin.removeNoBookings')}</Text>
            {s.notice?.kind === 'error' && (
              <Alert color="red" role="alert">
                {boothErrorMessage(t, s.notice.error, tz)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => s.askRemove(null)}>
                {t('walkIn.cancel')}
              </Button>
              <Button color="red" onClick={() => void s.removeBooth(removeRow.booth.id)}>
                {t('boothAdmin.removeConfirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>

      {printSheet && createPortal(<div className="rd-print-root">{printSheet}</div>, document.body)}
      <Modal opened={Boolean(printRow) || printCard.length > 0} onClose={() => s.print(null)} size="xl" title={t('booths.print.print')} closeButtonProps={{ 'aria-label': t('booths.close') }}>
        {printSheet}
        <Group justify="flex-end" mt="md">
          <Button onClick={() => window.print()}>{t('booths.print.print')}</Button>
        </Group>
      </Modal>
    </Stack>
  );
}

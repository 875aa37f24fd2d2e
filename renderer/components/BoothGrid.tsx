import { Badge, Box, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BoothScheduleRow } from '../../shared/schemas/booths';
import { formatStopTime } from '../i18n/formatStopTime';
import { STATUS_STYLE, slotStatus } from './slotStatus';

export interface BoothGridProps {
  rows: BoothScheduleRow[];
  timeZone: string;
  now: number;
  /** Slots (booth|start) holding a conflicted booking. */
  conflictSlots: ReadonlySet<string>;
  selected: { boothId: string; slotStart: string } | null;
  onSelect(boothId: string, slotStart: string): void;
  /** Set plan (stop lead, HQ admin); without it the button is not shown. */
  onEditPlan?(boothId: string): void;
  /** Remove the booth from the floor plan (stop lead, HQ admin). */
  onRemove?(boothId: string): void;
  onPrint(boothId: string): void;
}

const LABEL_WIDTH = 230;

/**
 * Booths × time: one row per booth, its slots laid on a shared time axis (plans may differ in
 * hours and slot length), coloured free / partly booked / full / past, with the stop's current time.
 */
export function BoothGrid({ rows, timeZone, now, conflictSlots, selected, onSelect, onEditPlan, onRemove, onPrint }: BoothGridProps) {
  const { t, i18n } = useTranslation();
  const all = rows.flatMap((r) => r.slots);
  const min = all.length ? Math.min(...all.map((s) => Date.parse(s.start))) : 0;
  const max = all.length ? Math.max(...all.map((s) => Date.parse(s.end))) : 1;
  const span = Math.max(1, max - min);
  const pct = (ms: number) => `${((ms - min) / span) * 100}%`;
  /** A label at `ms` on the axis, shifted by as much of its own width as it is far along: never past either end. */
  const along = (ms: number) => `translateX(-${Math.min(100, Math.max(0, ((ms - min) / span) * 100))}%)`;
  const nowVisible = all.length > 0 && now >= min && now <= max;
  const hours: number[] = [];
  for (let h = Math.ceil(min / 3600_000) * 3600_000; h <= max; h += 3600_000) hours.push(h);

  const nowLine = nowVisible && (
    <Box aria-hidden style={{ position: 'absolute', top: 0, bottom: 0, left: pct(now), width: 2, background: 'var(--mantine-color-red-7)', zIndex: 2 }} />
  );

  return (
    <Stack gap={4} role="table" aria-label={t('booths.grid')}>
      <Group gap={0} wrap="nowrap" role="row">
        <Box w={LABEL_WIDTH} style={{ flexShrink: 0 }} role="columnheader">
          <Text size="xs" c="dimmed">
            {t('booths.institution')}
          </Text>
        </Box>
        <Box style={{ position: 'relative', flex: 1, height: 22 }} role="columnheader">
          {hours.map((h) => (
            <Text key={h} size="xs" c="dimmed" style={{ position: 'absolute', left: pct(h), transform: along(h), whiteSpace: 'nowrap' }}>
              {formatStopTime(h, timeZone)}
            </Text>
          ))}
          {nowVisible && (
            <Badge color="red" size="sm" style={{ position: 'absolute', left: pct(now), transform: along(now), zIndex: 3 }} data-testid="now-marker">
              {t('booths.now', { time: formatStopTime(now, timeZone) })}
            </Badge>
          )}
        </Box>
      </Group>
      {rows.map((row) => {
        const name = row.booth.institution.shortName;
        const fullName = i18n.language === 'ko' && row.booth.institution.nameKo ? row.booth.institution.nameKo : row.booth.institution.name;
        const removed = row.booth.removed;
        return (
          <Group
            key={row.booth.id}
            gap={0}
            wrap="nowrap"
            role="row"
            aria-label={`${name} ${row.booth.location}${removed ? ` (${t('boothAdmin.removedBadge')})` : ''}`}
            data-removed={removed || undefined}
            style={{ borderTop: '1px solid var(--mantine-color-gray-2)', background: removed ? 'var(--mantine-color-gray-1)' : undefined }}
            py={4}
          >
            <Stack w={LABEL_WIDTH} gap={2} pr="xs" style={{ flexShrink: 0, opacity: removed ? 0.7 : undefined }} role="rowheader">
              <Group gap={6} wrap="nowrap">
                <Text fw={700} c={removed ? 'dimmed' : undefined} td={removed ? 'line-through' : undefined}>
                  {name}
                </Text>
                <Text size="xs" c="dimmed">
                  {row.booth.location}
                </Text>
                {removed && (
                  <Badge size="xs" color="gray" variant="filled">
                    {t('boothAdmin.removedBadge')}
                  </Badge>
                )}
                {row.waitlist.length > 0 && (
                  <Badge size="xs" color="grape" variant="light">
                    {t('booths.waiting', { count: row.waitlist.length })}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" title={fullName}>
                {t(`institutionKind.${row.booth.institution.kind}`)}
              </Text>
              {row.plan && (
                <Text size="xs" c="dimmed">
                  {t('booths.plan.summary', { start: row.plan.startTime, end: row.plan.endTime, minutes: row.plan.slotMinutes, capacity: row.plan.capacity })}
                </Text>
              )}
              <Group gap={4}>
                {onEditPlan && !removed && (
                  <Button size="compact-xs" variant="subtle" onClick={() => onEditPlan(row.booth.id)} aria-label={t('booths.setPlanFor', { booth: name })}>
                    {t('booths.setPlan')}
                  </Button>
                )}
                {onRemove && !removed && (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => onRemove(row.booth.id)} aria-label={t('boothAdmin.removeName', { booth: name })}>
                    {t('boothAdmin.remove')}
                  </Button>
                )}
                {row.plan && (
                  <Button size="compact-xs" variant="subtle" onClick={() => onPrint(row.booth.id)} aria-label={t('booths.print.boothName', { booth: name })}>
                    {t('booths.print.booth')}
                  </Button>
                )}
              </Group>
            </Stack>
            <Box style={{ position: 'relative', flex: 1, height: 52 }} role="cell">
              {row.slots.length === 0 && (
                <Text size="sm" c="dimmed" pt="sm">
                  {removed ? t('boothAdmin.removedRow') : t('booths.noPlan')}
                </Text>
              )}
              {row.slots.map((s) => {
                const status = slotStatus(s, now);
                const conflict = conflictSlots.has(`${row.booth.id}|${s.start}`);
                const style = STATUS_STYLE[status];
                const isSelected = selected?.boothId === row.booth.id && selected.slotStart === s.start;
                const label = t('booths.slotLabel', {
                  booth: name,
                  start: s.localStart,
                  end: s.localEnd,
                  booked: s.booked,
                  capacity: s.capacity,
                  status: conflict ? `${t(`booths.status.${status}`)}, ${t('booths.status.conflict')}` : t(`booths.status.${status}`),
                });
                return (
                  <UnstyledButton
                    key={s.start}
                    aria-label={label}
                    title={label}
                    data-status={status}
                    data-conflict={conflict || undefined}
                    aria-pressed={isSelected}
                    onClick={() => onSelect(row.booth.id, s.start)}
                    style={{
                      position: 'absolute',
                      top: 2,
                      bottom: 2,
                      left: `calc(${pct(Date.parse(s.start))} + 1px)`,
                      width: `calc(${pct(min + Date.parse(s.end) - Date.parse(s.start))} - 2px)`,
                      backgroundColor: style.bg,
                      color: style.fg,
                      border: `${conflict || isSelected ? 3 : 1}px solid ${conflict ? 'var(--mantine-color-orange-7)' : isSelected ? 'var(--mantine-color-indigo-7)' : style.border}`,
                      borderRadius: 6,
                      backgroundImage: status === 'past' ? 'repeating-linear-gradient(135deg, transparent 0 6px, rgba(0,0,0,0.05) 6px 12px)' : undefined,
                      overflow: 'hidden',
                      textAlign: 'center',
                      lineHeight: 1.15,
                      padding: 2,
                    }}
                  >
                    <Text size="10px" fw={600} c="inherit">
                      {s.localStart}
                    </Text>
                    <Text size="xs" fw={700} c="inherit">
                      {s.booked}/{s.capacity}
                    </Text>
                  </UnstyledButton>
                );
              })}
              {row.slots.length > 0 && nowLine}
            </Box>
          </Group>
        );
      })}
    </Stack>
  );
}

import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConflictEntry, ConflictResolution } from '../../shared/ipc/conflictsContract';
import { formatStopTime } from '../i18n/formatStopTime';

export interface DeskConflictListProps {
  entries: ConflictEntry[];
  timeZone: string;
  /** The key of the conflict being resolved. */
  busy: string | null;
  keyOf(c: ConflictEntry): string;
  onResolve(key: string, r: ConflictResolution): void;
}

/** One open conflict: what happened, and the actions the signed-in person may take (or who decides). */
function ConflictRow({ c, timeZone, busy, onResolve }: { c: ConflictEntry; timeZone: string; busy: boolean; onResolve(r: ConflictResolution): void }) {
  const { t } = useTranslation();
  const k = 'deskOps.conflicts';
  const kind = c.kind === 'booking' ? c.conflict : c.kind;
  let what: string;
  let actions: React.ReactNode = null;
  if (c.kind === 'double_check_in') {
    what = t(`${k}.doubleWhat`, { name: c.name, first: formatStopTime(c.first.at, timeZone), firstDesk: c.first.desk, second: formatStopTime(c.second.at, timeZone), secondDesk: c.second.desk });
    actions = (
      <Button size="compact-sm" color="red" variant="light" loading={busy} aria-label={t(`${k}.voidName`, { name: c.name })} onClick={() => onResolve({ kind: 'double_check_in', checkInEventId: c.second.eventId, reason: t(`${k}.reasonDuplicate`) })}>
        {t(`${k}.voidDuplicate`)}
      </Button>
    );
  } else if (c.kind === 'booking') {
    what = t(`${k}.bookingWhat`, { name: c.name, booth: c.booth, slot: formatStopTime(c.slotStart, timeZone) });
    actions = (
      <>
        <Button size="compact-sm" variant="light" loading={busy} aria-label={t(`${k}.keepName`, { name: c.name })} onClick={() => onResolve({ kind: 'booking', bookingId: c.bookingId, action: 'keep' })}>
          {t(`${k}.keep`)}
        </Button>
        <Button size="compact-sm" variant="light" color="red" loading={busy} aria-label={t(`${k}.cancelName`, { name: c.name })} onClick={() => onResolve({ kind: 'booking', bookingId: c.bookingId, action: 'cancel' })}>
          {t(`${k}.cancel`)}
        </Button>
      </>
    );
  } else {
    what = t(`${k}.consultationWhat`, { institution: c.institution, heads: c.heads, visitor: c.visitor });
    actions = (
      <Button size="compact-sm" variant="light" loading={busy} aria-label={t(`${k}.keepCurrentName`, { visitor: c.visitor })} onClick={() => onResolve({ kind: 'consultation', consultationId: c.consultationId })}>
        {t(`${k}.keepCurrent`)}
      </Button>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" role="listitem" aria-label={what}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ flex: '1 1 420px' }}>
          <Group gap={6}>
            <Badge color="orange" variant="light">
              {t(`${k}.kind.${kind}`)}
            </Badge>
          </Group>
          <Text size="sm">{what}</Text>
        </Stack>
        {c.resolvable ? (
          <Group gap={6}>{actions}</Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t(`${k}.notYours.${c.kind}`)}
          </Text>
        )}
      </Group>
    </Paper>
  );
}

/** The stop's open conflicts, the same list HQ's dashboard shows, each resolvable with HQ's actions. */
export function DeskConflictList({ entries, timeZone, busy, keyOf, onResolve }: DeskConflictListProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-label={t('deskOps.conflicts.list')}>
      <Title order={3} size="h4">
        {t('deskOps.conflicts.list')} {entries.length > 0 && <Badge color="orange">{entries.length}</Badge>}
      </Title>
      {entries.length === 0 ? (
        <Alert color="green" variant="light">
          {t('deskOps.conflicts.none')}
        </Alert>
      ) : (
        <Stack gap="xs" role="list">
          {entries.map((c) => (
            <ConflictRow key={keyOf(c)} c={c} timeZone={timeZone} busy={busy === keyOf(c)} onResolve={(r) => onResolve(keyOf(c), r)} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

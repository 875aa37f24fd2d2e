import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FlaggedAttendee } from '../../shared/ipc/attendeeCorrectionContract';
import { formatName } from '../i18n/formatName';

/** People at this stop whose details two desks corrected differently: each one a button to resolve. */
export function FlaggedAttendeesAlert({ flagged, canResolve, onOpen }: { flagged: FlaggedAttendee[]; canResolve: boolean; onOpen(f: FlaggedAttendee): void }) {
  const { t } = useTranslation();
  if (flagged.length === 0) return null;
  return (
    <Alert color="orange" title={t('attendeeEdit.flaggedTitle', { count: flagged.length })}>
      {canResolve && (
        <Group gap="xs">
          {flagged.map((f) => (
            <Button key={f.attendee.id} size="xs" variant="light" color="orange" onClick={() => onOpen(f)}>
              {t('attendeeEdit.flaggedOpen', { name: formatName(f.attendee) })}
            </Button>
          ))}
        </Group>
      )}
    </Alert>
  );
}

import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistrationView } from '../../shared/schemas/attendees';
import { formatName, formatTime } from '../i18n/formatName';

export interface RegistrationRowProps {
  registration: RegistrationView;
  selected: boolean;
  onCheckIn(): void;
  onUndo(): void;
}

export function RegistrationRow({ registration: r, selected, onCheckIn, onUndo }: RegistrationRowProps) {
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
      }}
    >
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text fw={600} truncate>
          {name}
        </Text>
        <Text size="sm" c="dimmed" truncate>
          {[r.attendee.affiliation, r.attendee.email, t(`careerStage.${r.attendee.careerStage}`)].filter(Boolean).join(' · ')}
        </Text>
        <Group gap={6}>
          <Badge variant="light" color="gray">
            {t(`source.${r.source}`)}
          </Badge>
          {r.checkIn ? (
            <Badge color="green">{t('checkin.checkedInAt', { desk: r.checkIn.desk, time: formatTime(r.checkIn.at, i18n.language) })}</Badge>
          ) : (
            <Badge color="yellow" variant="outline">
              {t('checkin.notCheckedIn')}
            </Badge>
          )}
          {r.duplicateCheckIns.length > 0 && <Badge color="orange">{t('checkin.duplicates', { count: r.duplicateCheckIns.length })}</Badge>}
        </Group>
      </Stack>
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
  );
}

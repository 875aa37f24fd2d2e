import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StopSession } from '../../shared/schemas/masterData';
import { sessionTitle } from '../i18n/sessionTitle';

const ENTRANCE = 'entrance';

export interface DoorPickerProps {
  sessions: StopSession[];
  /** The picked session, or null for the stop entrance. */
  value: string | null;
  onChange(sessionId: string | null): void;
}

/**
 * Where this desk checks people in: the stop entrance (the usual door) or one session of the stop's
 * programme, in its local times. A cancelled session is listed but cannot be picked.
 */
export function DoorPicker({ sessions, value, onChange }: DoorPickerProps) {
  const { t, i18n } = useTranslation();
  const data = [
    { value: ENTRANCE, label: t('sessionCheckin.entrance') },
    ...sessions.map((s) => {
      const vars = { start: s.startTime, end: s.endTime, title: sessionTitle(s, i18n.language), room: s.room };
      const label = t(s.room ? 'sessionCheckin.optionRoom' : 'sessionCheckin.option', vars);
      // The picked one stays pickable when it is cancelled later (by sync): its scans then say why they fail.
      return { value: s.id, label: s.cancelled ? t('sessionCheckin.optionCancelled', { label }) : label, disabled: s.cancelled && s.id !== value };
    }),
  ];
  return (
    <Select
      label={t('sessionCheckin.door')}
      data={data}
      value={value ?? ENTRANCE}
      onChange={(v) => onChange(!v || v === ENTRANCE ? null : v)}
      allowDeselect={false}
      w={340}
      comboboxProps={{ width: 'target' }}
      // A session door looks different from the entrance at a glance.
      styles={value ? { input: { borderColor: 'var(--mantine-color-teal-6)', borderWidth: 2 } } : undefined}
    />
  );
}

import { Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';

export interface StopPickerProps {
  stops: Stop[];
  value: string | null;
  /** Choosing the desk's stop is the stop lead's: others see it, read-only. */
  disabled?: boolean;
  /** Why the change just made was refused (shown under the picker). */
  error?: string;
  width?: number;
  onChange(stopId: string): void;
}

export function StopPicker({ stops, value, disabled, error, width = 360, onChange }: StopPickerProps) {
  const { t, i18n } = useTranslation();
  const data = stops.map((s) => {
    const city = i18n.language === 'ko' && s.cityKo ? s.cityKo : s.city;
    const campus = s.campus ? ` · ${s.campus}` : '';
    return { value: s.id, label: `${s.round} · ${city}${campus} · ${s.date}` };
  });
  return (
    <Select
      // Said where the control is: why this person cannot change it (in the label: the header has no room under it).
      label={
        disabled ? (
          <>
            {t('header.stop')}{' '}
            <Text span size="xs" c="dimmed">
              ({t('roleFit.stopLocked')})
            </Text>
          </>
        ) : (
          t('header.stop')
        )
      }
      placeholder={t('header.stopPlaceholder')}
      data={data}
      value={value}
      onChange={(v) => v && onChange(v)}
      allowDeselect={false}
      searchable
      disabled={disabled}
      error={error}
      w={width}
      size="sm"
    />
  );
}

import { Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Tour } from '../../shared/schemas/masterData';

export interface TourPickerProps {
  tours: Tour[];
  value: string | null;
  disabled?: boolean;
  /** Why the change just made was refused (shown under the picker). */
  error?: string;
  onChange(tourId: string): void;
}

/** Which tour the stop picker lists; shown only where the desk knows more than one tour. */
export function TourPicker({ tours, value, disabled, error, onChange }: TourPickerProps) {
  const { t, i18n } = useTranslation();
  const data = tours.map((tour) => ({ value: tour.id, label: i18n.language === 'ko' && tour.nameKo ? tour.nameKo : tour.name }));
  return (
    <Select
      // Said where the control is: why this person cannot change it (in the label: the header has no room under it).
      label={
        disabled ? (
          <>
            {t('header.tour')}{' '}
            <Text span size="xs" c="dimmed">
              ({t('roleFit.tourLocked')})
            </Text>
          </>
        ) : (
          t('header.tour')
        )
      }
      data={data}
      value={value}
      onChange={(v) => v && onChange(v)}
      allowDeselect={false}
      disabled={disabled}
      error={error}
      title={data.find((d) => d.value === value)?.label}
      w={150}
      comboboxProps={{ width: 420, position: 'bottom-start' }}
      size="sm"
    />
  );
}

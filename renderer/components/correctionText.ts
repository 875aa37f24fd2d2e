import type { TFunction } from 'i18next';
import type { FieldChange } from '../../shared/events/attendeeCorrectionEvents';

/** A field's value as the desk reads it: vocabularies translated, lists joined, empty said so. */
export function formatFieldValue(t: TFunction, field: FieldChange['field'], value: FieldChange['after']): string {
  if (Array.isArray(value)) return value.length ? value.map((f) => t(`field.${f}`)).join(', ') : t('attendeeEdit.empty');
  if (value === '') return t('attendeeEdit.empty');
  return field === 'careerStage' ? t(`careerStage.${value}`) : String(value);
}

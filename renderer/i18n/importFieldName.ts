import type { TFunction } from 'i18next';
import type { ImportField } from '../../shared/ipc/importContract';

/** A field of the import mapping by name, in the desk's language (the consent and status columns of issue #22 have their own section). */
export function importFieldName(t: TFunction, field: ImportField): string {
  return field === 'consent' || field === 'attendance' ? t(`importFit.fieldNames.${field}`) : t(`importer.fieldNames.${field}`);
}

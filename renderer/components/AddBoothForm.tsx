import { Alert, Group, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothPlanFields } from '../../shared/schemas/booths';
import type { Institution } from '../../shared/schemas/masterData';
import { fieldErrorText } from '../i18n/fieldError';
import { isPlanFieldError, planFieldErrors } from '../i18n/planFieldErrors';
import { BoothPlanForm } from './BoothPlanForm';

export interface NewBooth {
  institutionId: string;
  location: string;
  staff: string[];
  plan: BoothPlanFields;
}

export interface AddBoothFormProps {
  /** Institutions without a booth on this stop's floor plan. */
  institutions: Institution[];
  /** The last attempt's failure, beside the field it names or under the form. */
  error: unknown;
  /** Translates an error no field owns (booth errors carry their details). */
  describe(error: unknown): string;
  onSubmit(booth: NewBooth): void;
  onCancel(): void;
}

const OWN_FIELDS = ['institutionId', 'location', 'staff'] as const;

/** A booth set up on site: institution, booth code, staff names, and its consultation plan. */
export function AddBoothForm({ institutions, error, describe, onSubmit, onCancel }: AddBoothFormProps) {
  const { t, i18n } = useTranslation();
  const [institutionId, setInstitutionId] = useState<string | null>(null);
  const [location, setLocation] = useState('');
  const [staff, setStaff] = useState('');
  const server = (f: string) => fieldErrorText(t, error, 'boothAdmin.invalid', f);
  const staffError = fieldErrorText(t, error, 'boothAdmin.invalid', 'staff') ?? [0, 1, 2, 3, 4].map((i) => fieldErrorText(t, error, 'boothAdmin.invalid', `staff.${i}`)).find(Boolean);
  const ownField = OWN_FIELDS.some((f) => server(f)) || Boolean(staffError);
  const footerError = error != null && !ownField && !isPlanFieldError(t, error) ? describe(error) : null;
  const name = (i: Institution) => `${i.shortName} · ${i18n.language === 'ko' && i.nameKo ? i.nameKo : i.name}`;

  return (
    <BoothPlanForm
      plan={null}
      label={t('boothAdmin.addForm')}
      submitLabel={t('boothAdmin.add')}
      leadingValid={Boolean(institutionId)}
      errors={planFieldErrors(t, error)}
      onCancel={onCancel}
      onSubmit={(plan) =>
        institutionId &&
        onSubmit({
          institutionId,
          location: location.trim(),
          staff: staff
            .split(/[,;\n]/)
            .map((s) => s.trim())
            .filter(Boolean),
          plan,
        })
      }
      leading={
        <>
          <Select
            label={t('boothAdmin.institution')}
            placeholder={t('boothAdmin.institutionPlaceholder')}
            data={institutions.map((i) => ({ value: i.id, label: name(i) }))}
            value={institutionId}
            onChange={setInstitutionId}
            searchable
            required
            nothingFoundMessage={t('boothAdmin.noInstitution')}
            error={server('institutionId')}
          />
          <Group grow align="flex-start">
            <TextInput label={t('boothAdmin.location')} description={t('boothAdmin.locationHelp')} value={location} onChange={(e) => setLocation(e.currentTarget.value)} error={server('location')} />
            <TextInput label={t('boothAdmin.staff')} description={t('boothAdmin.staffHelp')} value={staff} onChange={(e) => setStaff(e.currentTarget.value)} error={staffError} />
          </Group>
        </>
      }
      footer={
        footerError && (
          <Alert color="red" role="alert">
            {footerError}
          </Alert>
        )
      }
    />
  );
}

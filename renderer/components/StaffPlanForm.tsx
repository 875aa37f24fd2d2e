import { Button, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Institution, Stop } from '../../shared/schemas/masterData';
import type { StaffRole } from '../../shared/schemas/staff';
import { fieldErrorText } from '../i18n/fieldError';

export interface PlannedStaff {
  name: string;
  role: StaffRole;
  institutionId: string | null;
  stopIds: string[];
}

export interface StaffPlanFormProps {
  roles: readonly StaffRole[];
  institutions: Institution[];
  stops: Stop[];
  /** The last attempt's failure: a VALIDATION error shows beside the field it names. */
  error: unknown;
  /** Returns true when the person was planned (the form empties). */
  onSubmit(person: PlannedStaff): Promise<boolean>;
}

/** A staff member without a PIN: they choose one at their first sign-in, with the one-time setup code. */
export function StaffPlanForm({ roles, institutions, stops, error, onSubmit }: StaffPlanFormProps) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>(roles[0] ?? 'desk_staff');
  const [institutionId, setInstitutionId] = useState<string | null>(null);
  const [stopIds, setStopIds] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);
  const server = (f: string) => fieldErrorText(t, error, 'staffPlan.invalid', f);
  const needsInstitution = role === 'booth_staff';

  return (
    <form
      aria-label={t('staffPlan.form')}
      onSubmit={async (e) => {
        e.preventDefault();
        setTouched(true);
        if (!name.trim() || (needsInstitution && !institutionId)) return;
        if (await onSubmit({ name: name.trim(), role, institutionId: needsInstitution ? institutionId : null, stopIds })) {
          setName('');
          setStopIds([]);
          setTouched(false);
        }
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput label={t('staffPlan.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={180} error={(touched && !name.trim() ? t('errors.required') : null) ?? server('name')} />
        <Select label={t('security.staffRole')} value={role} onChange={(v) => v && setRole(v as StaffRole)} data={roles.map((r) => ({ value: r, label: t(`security.role.${r}`) }))} w={160} allowDeselect={false} />
        {needsInstitution && (
          <Select
            label={t('security.staffInstitution')}
            value={institutionId}
            onChange={setInstitutionId}
            data={institutions.map((i) => ({ value: i.id, label: i.shortName }))}
            w={170}
            searchable
            error={(touched && !institutionId ? t('errors.required') : null) ?? server('institutionId')}
          />
        )}
        <MultiSelect
          label={t('staffPlan.stops')}
          description={t('staffPlan.stopsHelp')}
          value={stopIds}
          onChange={setStopIds}
          data={stops.map((s) => ({ value: s.id, label: `${s.round} · ${i18n.language === 'ko' && s.cityKo ? s.cityKo : s.city}` }))}
          w={300}
          clearable
          error={server('stopIds')}
        />
        <Button type="submit" mt={24}>
          {t('staffPlan.submit')}
        </Button>
      </Group>
    </form>
  );
}

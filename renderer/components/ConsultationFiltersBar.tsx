import { Group, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FOLLOW_UP_STATUSES, INTEREST_LEVELS, type FollowUpStatus, type InterestLevel } from '../../shared/schemas/consultations';
import type { Institution } from '../../shared/schemas/masterData';
import { PROGRAMS, RESEARCH_FIELDS, type Program } from '../../shared/vocab';

export interface ConsultationFilterValues {
  institutionId: string | null;
  field: string;
  program: Program | null;
  interestLevel: InterestLevel | null;
  followUpStatus: FollowUpStatus | null;
  notesQuery: string;
}

export interface ConsultationFiltersBarProps {
  value: ConsultationFilterValues;
  onChange(patch: Partial<ConsultationFilterValues>): void;
  institutions: Institution[];
  otherFields: string[];
}

/** Filters of the consultation list: institution, field (vocabulary or free text), program, interest, status, notes. */
export function ConsultationFiltersBar({ value, onChange, institutions, otherFields }: ConsultationFiltersBarProps) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" align="flex-end" role="search" aria-label={t('consultations.filters.label')}>
      <Select
        label={t('consultations.filters.institution')}
        placeholder={t('consultations.filters.allInstitutions')}
        data={institutions.map((i) => ({ value: i.id, label: i.shortName }))}
        value={value.institutionId}
        onChange={(institutionId) => onChange({ institutionId })}
        clearable
        searchable
        w={170}
      />
      <Select
        label={t('consultations.filters.field')}
        placeholder={t('consultations.filters.anyField')}
        data={[...RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) })), ...otherFields.filter((f) => !(RESEARCH_FIELDS as readonly string[]).includes(f)).map((f) => ({ value: f, label: f }))]}
        value={value.field || null}
        onChange={(f) => onChange({ field: f ?? '' })}
        clearable
        searchable
        w={190}
      />
      <Select
        label={t('consultations.filters.program')}
        placeholder={t('consultations.filters.anyProgram')}
        data={PROGRAMS.map((p) => ({ value: p, label: t(`consultations.program.${p}`) }))}
        value={value.program}
        onChange={(p) => onChange({ program: p as Program | null })}
        clearable
        w={190}
      />
      <Select
        label={t('consultations.filters.interest')}
        placeholder={t('consultations.filters.anyInterest')}
        data={INTEREST_LEVELS.map((l) => ({ value: l, label: t(`consultations.interest.${l}`) }))}
        value={value.interestLevel}
        onChange={(l) => onChange({ interestLevel: l as InterestLevel | null })}
        clearable
        w={130}
      />
      <Select
        label={t('consultations.filters.status')}
        placeholder={t('consultations.filters.anyStatus')}
        data={FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: t(`consultations.status.${s}`) }))}
        value={value.followUpStatus}
        onChange={(s) => onChange({ followUpStatus: s as FollowUpStatus | null })}
        clearable
        w={150}
      />
      <TextInput
        label={t('consultations.filters.notes')}
        value={value.notesQuery}
        onChange={(e) => onChange({ notesQuery: e.currentTarget.value })}
        style={{ flex: 1, minWidth: 160 }}
        type="search"
      />
    </Group>
  );
}

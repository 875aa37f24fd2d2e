import { Autocomplete, Chip, Fieldset, Group, MultiSelect, Radio, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FOLLOW_UP_STATUSES, INTEREST_LEVELS, type ConsultationContent, type FollowUpStatus, type InterestLevel } from '../../shared/schemas/consultations';
import type { Program as Programme } from '../../shared/schemas/programs';
import { CAREER_STAGES, PROGRAMS, RESEARCH_FIELDS, type CareerStage, type Program, type ResearchField } from '../../shared/vocab';
import { programName } from '../util/programmes';

/** The programmes (master data, issue #21) a consultation may name, for its multi-select. */
export interface ProgrammeChoice {
  /** The booth institution's active programmes and the national ones, plus any the consultation names already. */
  offered: Programme[];
  /** The chosen institution's short name (the group's label); null while none is chosen. */
  institution: string | null;
}

export interface ConsultationContentFieldsProps {
  value: ConsultationContent;
  onChange(patch: Partial<ConsultationContent>): void;
  errors: Partial<Record<keyof ConsultationContent, string>>;
  staffOptions: string[];
  /** Programmes to choose from; without it only the earlier programme-interest list shows. */
  programmes?: ProgrammeChoice | undefined;
}

/** Everything a consultation says, as editable fields: used by the log form and the edit form. */
export function ConsultationContentFields({ value: v, onChange, errors, staffOptions, programmes }: ConsultationContentFieldsProps) {
  const { t, i18n } = useTranslation();
  const label = (p: Programme) => (p.active ? programName(p, i18n.language) : t('programmes.retired', { name: programName(p, i18n.language) }));
  const own = programmes?.offered.filter((p) => p.institutionId !== null) ?? [];
  const national = programmes?.offered.filter((p) => p.institutionId === null) ?? [];
  const programmeData = [
    ...(own.length ? [{ group: t('programmes.own', { institution: programmes?.institution ?? '' }), items: own.map((p) => ({ value: p.id, label: label(p) })) }] : []),
    ...(national.length ? [{ group: t('programmes.national'), items: national.map((p) => ({ value: p.id, label: label(p) })) }] : []),
  ];
  // The earlier fixed list stays for consultations that used it, and for a desk that has no programmes yet.
  const showLegacy = !programmes || v.programs.length > 0 || programmes.offered.length === 0;
  return (
    <Stack gap="sm">
      <Autocomplete
        label={t('consultations.form.staff')}
        data={[...new Set(staffOptions)]}
        value={v.staffName}
        onChange={(staffName) => onChange({ staffName })}
        error={errors.staffName}
        required
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="consultation-fields-label">
          {t('consultations.form.fields')}
        </Text>
        <Chip.Group multiple value={v.fields} onChange={(fields) => onChange({ fields: fields as ResearchField[] })}>
          <Group gap={6} role="group" aria-labelledby="consultation-fields-label">
            {RESEARCH_FIELDS.map((f) => (
              <Chip key={f} value={f} size="sm">
                {t(`field.${f}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      <TagsInput
        label={t('consultations.form.otherFields')}
        description={t('consultations.form.otherFieldsHelp')}
        value={v.otherFields}
        onChange={(otherFields) => onChange({ otherFields: otherFields.map((f) => f.trim()).filter(Boolean).slice(0, 10) })}
        maxTags={10}
        clearable
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('consultations.form.careerStage')}
          data={CAREER_STAGES.map((s) => ({ value: s, label: t(`careerStage.${s}`) }))}
          value={v.careerStage}
          onChange={(s) => s && onChange({ careerStage: s as CareerStage })}
          allowDeselect={false}
        />
        <TextInput
          label={t('consultations.form.preferredStart')}
          type="month"
          value={v.preferredStart}
          onChange={(e) => onChange({ preferredStart: e.currentTarget.value })}
          error={errors.preferredStart}
        />
      </SimpleGrid>
      {programmes && (
        <MultiSelect
          label={t('programmes.label')}
          description={!programmes.institution ? t('programmes.pickInstitution') : programmes.offered.length === 0 ? t('programmes.none') : t('programmes.help')}
          placeholder={v.programIds.length ? undefined : t('programmes.placeholder')}
          data={programmeData}
          value={v.programIds}
          onChange={(programIds) => onChange({ programIds })}
          searchable
          clearable
          maxValues={30}
          hidePickedOptions
          nothingFoundMessage={t('programmes.nothingFound')}
          disabled={!programmes.institution || programmes.offered.length === 0}
          error={errors.programIds}
        />
      )}
      {showLegacy && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="consultation-programs-label">
            {programmes ? t('programmes.legacy') : t('consultations.form.programs')}
          </Text>
          <Chip.Group multiple value={v.programs} onChange={(programs) => onChange({ programs: programs as Program[] })}>
            <Group gap={6} role="group" aria-labelledby="consultation-programs-label">
              {PROGRAMS.map((p) => (
                <Chip key={p} value={p} size="sm">
                  {t(`consultations.program.${p}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
      )}
      <Radio.Group label={t('consultations.form.interest')} value={v.interestLevel} onChange={(l) => onChange({ interestLevel: l as InterestLevel })}>
        <Group gap="lg" mt={4}>
          {INTEREST_LEVELS.map((l) => (
            <Radio key={l} value={l} label={t(`consultations.interest.${l}`)} />
          ))}
        </Group>
      </Radio.Group>
      <Fieldset legend={t('consultations.form.followUp')} p="sm">
        <Stack gap="xs">
          <TextInput
            label={t('consultations.form.followUpAction')}
            value={v.followUpAction}
            error={errors.followUpAction}
            onChange={(e) => {
              const followUpAction = e.currentTarget.value;
              // Typing an action opens a follow-up; clearing it closes the question.
              const followUpStatus: FollowUpStatus =
                followUpAction.trim() && v.followUpStatus === 'none' ? 'open' : !followUpAction.trim() && v.followUpStatus === 'open' ? 'none' : v.followUpStatus;
              onChange({ followUpAction, followUpStatus });
            }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('consultations.form.followUpOwner')} value={v.followUpOwner} onChange={(e) => onChange({ followUpOwner: e.currentTarget.value })} />
            <TextInput label={t('consultations.form.followUpDue')} type="date" value={v.followUpDue} onChange={(e) => onChange({ followUpDue: e.currentTarget.value })} error={errors.followUpDue} />
            <Select
              label={t('consultations.form.followUpStatus')}
              data={FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: t(`consultations.status.${s}`) }))}
              value={v.followUpStatus}
              onChange={(s) => s && onChange({ followUpStatus: s as FollowUpStatus })}
              allowDeselect={false}
              error={errors.followUpStatus}
            />
          </SimpleGrid>
        </Stack>
      </Fieldset>
      <Textarea label={t('consultations.form.notes')} value={v.notes} onChange={(e) => onChange({ notes: e.currentTarget.value })} autosize minRows={3} maxRows={10} />
    </Stack>
  );
}

export const emptyConsultationContent = (staffName = ''): ConsultationContent => ({
  staffName,
  fields: [],
  otherFields: [],
  careerStage: 'other',
  programs: [],
  programIds: [],
  interestLevel: 'medium',
  preferredStart: '',
  followUpAction: '',
  followUpOwner: '',
  followUpDue: '',
  followUpStatus: 'none',
  notes: '',
});

/** The checks the API makes too, so the person sees them at once and in their language. */
export function validateConsultationContent(v: ConsultationContent, t: (k: string) => string): Partial<Record<keyof ConsultationContent, string>> {
  const errs: Partial<Record<keyof ConsultationContent, string>> = {};
  if (!v.staffName.trim()) errs.staffName = t('errors.required');
  if (v.followUpStatus !== 'none' && !v.followUpAction.trim()) errs.followUpAction = t('consultations.form.followUpNeedsAction');
  if (v.followUpStatus === 'none' && v.followUpAction.trim()) errs.followUpStatus = t('consultations.form.actionNeedsStatus');
  return errs;
}

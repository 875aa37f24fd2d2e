import { Alert, Button, Group, MultiSelect, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldChange } from '../../shared/events/attendeeCorrectionEvents';
import type { AttendeeEditState } from '../../shared/ipc/attendeeCorrectionContract';
import type { Attendee } from '../../shared/schemas/attendees';
import { CAREER_STAGES, RESEARCH_FIELDS, type CareerStage, type ResearchField } from '../../shared/vocab';
import { ApiError } from '../api/apiClient';
import { errorMessage } from '../i18n/errorMessage';
import { formatTime } from '../i18n/formatName';
import { formatFieldValue } from './correctionText';
import { RomanizationSuggestion } from './RomanizationSuggestion';

type Values = Omit<Attendee, 'id'>;

export interface AttendeeEditFormProps {
  state: AttendeeEditState;
  busy: boolean;
  error: unknown;
  /** Set after a save: 'changed' offers the badge reprint. */
  saved: 'changed' | 'unchanged' | null;
  timeZone?: string;
  onSave(values: Values): void;
  onResolve(values: Partial<Values>): void;
  onCancel(): void;
  onReprint(): void;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Correct a person's names (Latin and Hangul), email, affiliation, career stage and fields. When two
 * desks changed the same field offline, it first asks which value to keep; after a save it offers a
 * reprint of the badge. What was typed stays in the form whatever the server answers.
 */
export function AttendeeEditForm(p: AttendeeEditFormProps) {
  const { t, i18n } = useTranslation();
  const a = p.state.attendee;
  const [v, setV] = useState<Values>({
    familyName: a.familyName,
    givenName: a.givenName,
    nameKo: a.nameKo,
    email: a.email,
    affiliation: a.affiliation,
    careerStage: a.careerStage,
    fields: a.fields,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Record<string, string>>(() =>
    Object.fromEntries(p.state.conflicts.map((c) => [c.field, c.versions[0]?.correctionId ?? ''])),
  );
  const put = <K extends keyof Values>(k: K, value: Values[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const serverNameError = p.error instanceof ApiError && p.error.code === 'VALIDATION' && p.error.shape.details?.field === 'name';

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!(v.familyName + v.givenName + v.nameKo).trim()) errs.name = t('errors.nameRequired');
    if (v.email.trim() && !EMAIL_RE.test(v.email.trim())) errs.email = t('errors.email');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    p.onSave({ ...v, email: v.email.trim() });
  }

  function resolve() {
    const values: Partial<Record<FieldChange['field'], FieldChange['after']>> = {};
    for (const c of p.state.conflicts) {
      const picked = c.versions.find((x) => x.correctionId === choice[c.field]) ?? c.versions[0];
      if (picked) values[c.field] = picked.value;
    }
    p.onResolve(values as Partial<Values>);
  }

  const errorAlert = p.error !== null && p.error !== undefined && !serverNameError && (
    <Alert color="red" role="alert">
      {errorMessage(t, p.error)}
    </Alert>
  );

  if (p.saved) {
    return (
      <Stack gap="sm">
        <Alert color="green" role="status">
          {p.saved === 'changed' ? t('attendeeEdit.saved') : t('attendeeEdit.savedNoChange')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onCancel}>
            {t('attendeeEdit.close')}
          </Button>
          {p.saved === 'changed' && <Button onClick={p.onReprint}>{t('attendeeEdit.reprint')}</Button>}
        </Group>
      </Stack>
    );
  }

  if (p.state.conflicts.length > 0) {
    return (
      <Stack gap="sm">
        <Alert color="orange" title={t('attendeeEdit.conflictTitle')}>
          {t('attendeeEdit.conflictHint')}
        </Alert>
        {p.state.conflicts.map((c) => (
          <Radio.Group
            key={c.field}
            label={t('attendeeEdit.conflictField', { field: t(`attendeeEdit.fieldNames.${c.field}`) })}
            value={choice[c.field] ?? ''}
            onChange={(id) => setChoice((cur) => ({ ...cur, [c.field]: id }))}
          >
            <Stack gap={4} mt={4}>
              {c.versions.map((x) => (
                <Radio
                  key={x.correctionId}
                  value={x.correctionId}
                  label={t('attendeeEdit.conflictVersion', {
                    value: formatFieldValue(t, c.field, x.value),
                    who: x.staffName ?? t('attendeeEdit.unknownStaff'),
                    desk: x.desk || '–',
                    time: x.at ? formatTime(x.at, i18n.language, p.timeZone) : '–',
                  })}
                />
              ))}
            </Stack>
          </Radio.Group>
        ))}
        {errorAlert}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onCancel}>
            {t('attendeeEdit.cancel')}
          </Button>
          <Button onClick={resolve} loading={p.busy}>
            {t('attendeeEdit.keep')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const nameError = errors.name ?? (serverNameError ? t('errors.nameRequired') : undefined);
  return (
    <form onSubmit={submit} aria-label={t('attendeeEdit.formTitle')} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('walkIn.givenName')} value={v.givenName} onChange={(e) => put('givenName', e.currentTarget.value)} error={nameError} data-autofocus />
          <TextInput label={t('walkIn.familyName')} value={v.familyName} onChange={(e) => put('familyName', e.currentTarget.value)} />
        </Group>
        <TextInput label={t('walkIn.nameKo')} value={v.nameKo} onChange={(e) => put('nameKo', e.currentTarget.value)} />
        {!v.familyName.trim() && !v.givenName.trim() && (
          <RomanizationSuggestion nameKo={v.nameKo} onUse={(n) => setV((cur) => ({ ...cur, ...n }))} />
        )}
        <TextInput label={t('walkIn.email')} type="email" value={v.email} onChange={(e) => put('email', e.currentTarget.value)} error={errors.email} />
        <TextInput label={t('walkIn.affiliation')} value={v.affiliation} onChange={(e) => put('affiliation', e.currentTarget.value)} />
        <Select
          label={t('walkIn.careerStage')}
          data={CAREER_STAGES.map((s) => ({ value: s, label: t(`careerStage.${s}`) }))}
          value={v.careerStage}
          onChange={(x) => x && put('careerStage', x as CareerStage)}
          allowDeselect={false}
        />
        <MultiSelect
          label={t('walkIn.fields')}
          data={RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))}
          value={v.fields}
          onChange={(x) => put('fields', x as ResearchField[])}
        />
        {errorAlert}
        {serverNameError && (
          <Text c="red" size="sm" role="alert">
            {t('errors.nameRequired')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onCancel}>
            {t('attendeeEdit.cancel')}
          </Button>
          <Button type="submit" loading={p.busy}>
            {t('attendeeEdit.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Button, Checkbox, Group, MultiSelect, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { WalkInInput } from '../../shared/ipc/checkinContract';
import { CAREER_STAGES, CONSENT_SCOPES, CURRENT_CONSENT_TEXT_VERSION, RESEARCH_FIELDS, type CareerStage, type ConsentScope, type ResearchField } from '../../shared/vocab';
import { ApiError } from '../api/apiClient';
import { errorMessage } from '../i18n/errorMessage';

export interface WalkInFormProps {
  stopId: string;
  onSubmit(input: WalkInInput): Promise<unknown>;
  onCancel(): void;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function WalkInForm({ stopId, onSubmit, onCancel }: WalkInFormProps) {
  const { t } = useTranslation();
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [nameKo, setNameKo] = useState('');
  const [email, setEmail] = useState('');
  const [affiliation, setAffiliation] = useState('');
  const [careerStage, setCareerStage] = useState<CareerStage>('student');
  const [fields, setFields] = useState<ResearchField[]>([]);
  const [consentScope, setConsentScope] = useState<ConsentScope>('all_institutions');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!(familyName + givenName + nameKo).trim()) errs.name = t('errors.nameRequired');
    if (email.trim() && !EMAIL_RE.test(email.trim())) errs.email = t('errors.email');
    if (!agreed) errs.consent = t('errors.required');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit({ stopId, familyName, givenName, nameKo, email: email.trim(), affiliation, careerStage, fields, consentScope, consentTextVersion: CURRENT_CONSENT_TEXT_VERSION, checkInNow: true });
    } catch (err) {
      // Nothing is lost: the form keeps what was typed.
      setFormError(err instanceof ApiError || err instanceof Error ? errorMessage(t, err) : t('errors.INTERNAL'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={t('walkIn.title')} noValidate>
      <Stack gap="sm">
        <Group grow>
          <TextInput label={t('walkIn.givenName')} value={givenName} onChange={(e) => setGivenName(e.currentTarget.value)} error={errors.name} data-autofocus />
          <TextInput label={t('walkIn.familyName')} value={familyName} onChange={(e) => setFamilyName(e.currentTarget.value)} />
        </Group>
        <TextInput label={t('walkIn.nameKo')} value={nameKo} onChange={(e) => setNameKo(e.currentTarget.value)} />
        <TextInput label={t('walkIn.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} />
        <TextInput label={t('walkIn.affiliation')} value={affiliation} onChange={(e) => setAffiliation(e.currentTarget.value)} />
        <Select
          label={t('walkIn.careerStage')}
          data={CAREER_STAGES.map((s) => ({ value: s, label: t(`careerStage.${s}`) }))}
          value={careerStage}
          onChange={(v) => v && setCareerStage(v as CareerStage)}
          allowDeselect={false}
        />
        <MultiSelect
          label={t('walkIn.fields')}
          data={RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))}
          value={fields}
          onChange={(v) => setFields(v as ResearchField[])}
        />
        <Radio.Group label={t('walkIn.consent')} value={consentScope} onChange={(v) => setConsentScope(v as ConsentScope)}>
          <Stack gap={4} mt={4}>
            {CONSENT_SCOPES.map((s) => (
              <Radio key={s} value={s} label={t(`consentScope.${s}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Checkbox
          label={t('walkIn.consentText', { version: CURRENT_CONSENT_TEXT_VERSION })}
          checked={agreed}
          onChange={(e) => setAgreed(e.currentTarget.checked)}
          error={errors.consent}
        />
        {formError && (
          <Text c="red" role="alert">
            {formError}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('walkIn.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('walkIn.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

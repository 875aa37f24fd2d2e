import { Badge, Button, Group, MultiSelect, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SimilarAttendee, WalkInInput } from '../../shared/ipc/checkinContract';
import { CURRENT_CONSENT_TEXT_VERSION, DESK_CONSENT_SCOPES } from '../../shared/consentTexts';
import { CAREER_STAGES, RESEARCH_FIELDS, type CareerStage, type ResearchField } from '../../shared/vocab';
import { ApiError } from '../api/apiClient';
import { errorMessage } from '../i18n/errorMessage';
import { formatName } from '../i18n/formatName';
import { ConsentChoice } from './ConsentFields';
import { RomanizationSuggestion } from './RomanizationSuggestion';

export interface WalkInFormProps {
  stopId: string;
  onSubmit(input: WalkInInput): Promise<unknown>;
  onCancel(): void;
  /** People already known who may be the same person, refreshed as the names and email are typed. */
  similar?: SimilarAttendee[];
  onNamesChange?(names: { familyName: string; givenName: string; nameKo: string; email: string }): void;
  onPickSimilar?(attendeeId: string): Promise<unknown>;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function WalkInForm({ stopId, onSubmit, onCancel, similar = [], onNamesChange, onPickSimilar }: WalkInFormProps) {
  const { t } = useTranslation();
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [nameKo, setNameKo] = useState('');
  const [email, setEmail] = useState('');
  const [affiliation, setAffiliation] = useState('');
  // Asked, not assumed: nothing is chosen until the person says (issue #22).
  const [careerStage, setCareerStage] = useState<CareerStage | null>(null);
  const [fields, setFields] = useState<ResearchField[]>([]);
  const [consentScope, setConsentScope] = useState<(typeof DESK_CONSENT_SCOPES)[number] | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Ask for possible duplicates a moment after typing stops.
  useEffect(() => {
    if (!onNamesChange) return;
    const timer = setTimeout(() => onNamesChange({ familyName, givenName, nameKo, email }), 150);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [familyName, givenName, nameKo, email]);

  async function pick(attendeeId: string) {
    if (!onPickSimilar) return;
    setBusy(true);
    setFormError(null);
    try {
      await onPickSimilar(attendeeId);
    } catch (err) {
      setFormError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!(familyName + givenName + nameKo).trim()) errs.name = t('errors.nameRequired');
    if (email.trim() && !EMAIL_RE.test(email.trim())) errs.email = t('errors.email');
    if (!careerStage) errs.careerStage = t('consentFit.careerStageRequired');
    if (!consentScope) errs.consentScope = t('consentFit.scopeRequired');
    if (!agreed) errs.consent = t('consentFit.agreedRequired');
    setErrors(errs);
    if (!careerStage || !consentScope || Object.keys(errs).length) return;
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
        {/* Hangul only so far: offer the Latin spelling for the badge and the exports, to confirm or correct. */}
        {!familyName.trim() && !givenName.trim() && (
          <RomanizationSuggestion
            nameKo={nameKo}
            onUse={(n) => {
              setFamilyName(n.familyName);
              setGivenName(n.givenName);
            }}
          />
        )}
        <TextInput label={t('walkIn.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} />
        {similar.length > 0 && (
          <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-yellow-light)" role="region" aria-label={t('desk.similarTitle')}>
            <Text fw={700}>{t('desk.similarTitle')}</Text>
            <Text size="sm" mb={6}>
              {t('desk.similarHint')}
            </Text>
            <Stack gap={6}>
              {similar.map((s) => (
                <Group key={s.attendee.id} justify="space-between" wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {formatName(s.attendee)}
                    </Text>
                    <Group gap={4}>
                      <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {[s.attendee.affiliation, s.attendee.email].filter(Boolean).join(' · ')}
                      </Text>
                      <Badge size="sm" variant="light">
                        {s.reason === 'email' ? t('desk.similarReasonEmail') : t('desk.similarReasonName')}
                      </Badge>
                      <Badge size="sm" variant="outline" color="gray">
                        {s.registration ? t('desk.similarAtStop') : t('desk.similarElsewhere')}
                      </Badge>
                    </Group>
                  </Stack>
                  {onPickSimilar && (
                    <Button size="xs" variant="light" disabled={busy} onClick={() => void pick(s.attendee.id)} aria-label={t('desk.similarUseName', { name: formatName(s.attendee) })}>
                      {t('desk.similarUse')}
                    </Button>
                  )}
                </Group>
              ))}
            </Stack>
          </Paper>
        )}
        <TextInput label={t('walkIn.affiliation')} value={affiliation} onChange={(e) => setAffiliation(e.currentTarget.value)} />
        <Select
          label={t('walkIn.careerStage')}
          placeholder={t('consentFit.careerStagePlaceholder')}
          data={CAREER_STAGES.map((s) => ({ value: s, label: t(`careerStage.${s}`) }))}
          value={careerStage}
          onChange={(v) => setCareerStage(v as CareerStage | null)}
          error={errors.careerStage}
          required
        />
        <MultiSelect
          label={t('walkIn.fields')}
          data={RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))}
          value={fields}
          onChange={(v) => setFields(v as ResearchField[])}
        />
        <ConsentChoice
          scopes={DESK_CONSENT_SCOPES}
          scope={consentScope}
          agreed={agreed}
          onScope={(v) => setConsentScope(v as (typeof DESK_CONSENT_SCOPES)[number])}
          onAgreed={setAgreed}
          errors={{ scope: errors.consentScope, agreed: errors.consent }}
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

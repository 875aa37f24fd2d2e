import { Checkbox, Paper, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CURRENT_CONSENT_TEXT_VERSION, consentWording, type ConsentWording } from '../../shared/consentTexts';
import type { ConsentView } from '../../shared/schemas/consultations';
import { CONSENT_SCOPES, type ConsentScope, type Language } from '../../shared/vocab';
import { ConsentWordingDetails } from './ConsentWordingDetails';

export interface ConsentDraft {
  record: boolean;
  /** The person's own choice: null until they make it (nothing is chosen in advance). */
  scope: ConsentScope | null;
  agreed: boolean;
}

export const emptyConsentDraft = (): ConsentDraft => ({ record: false, scope: null, agreed: false });

export interface ConsentErrors {
  scope?: string;
  agreed?: string;
}

/** What is missing for a consent to be recorded: the person's choice, and the staff member's confirmation. */
export function consentDraftErrors(d: ConsentDraft, required: (field: 'scope' | 'agreed') => string): ConsentErrors {
  const errs: ConsentErrors = {};
  if (d.scope === null) errs.scope = required('scope');
  if (!d.agreed) errs.agreed = required('agreed');
  return errs;
}

const lang = (l: string): Language => (l === 'ko' ? 'ko' : 'en');

/** The current consent text in the interface's language (the forms always show the current version). */
export function useCurrentConsentWording(): ConsentWording {
  const { i18n } = useTranslation();
  return consentWording(CURRENT_CONSENT_TEXT_VERSION, lang(i18n.language))!;
}

export interface ConsentChoiceProps {
  /** The choices offered (a walk-in at the desk has no "this institution"). */
  scopes?: readonly ConsentScope[];
  scope: ConsentScope | null;
  agreed: boolean;
  onScope(scope: ConsentScope): void;
  onAgreed(agreed: boolean): void;
  errors?: ConsentErrors;
}

/**
 * The consent text as the person reads it, top to bottom: what is collected and why, then the choices
 * (none chosen in advance), then the staff member's confirmation that the person chose. Errors show under
 * the field they are about.
 */
export function ConsentChoice({ scopes = CONSENT_SCOPES, scope, agreed, onScope, onAgreed, errors = {} }: ConsentChoiceProps) {
  const { t } = useTranslation();
  const wording = useCurrentConsentWording();
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={wording.title}>
      <Stack gap="xs">
        <Text fw={700}>
          {wording.title}
        </Text>
        <Text size="sm" data-testid="consent-statement">
          {wording.statement}
        </Text>
        <Radio.Group label={t('consentFit.choose')} value={scope} onChange={(v) => onScope(v as ConsentScope)} error={errors.scope} required>
          <Stack gap={4} mt={4}>
            {scopes.map((s) => (
              <Radio key={s} value={s} label={wording.scopes[s]} />
            ))}
          </Stack>
        </Radio.Group>
        <Checkbox label={wording.agreement} checked={agreed} onChange={(e) => onAgreed(e.currentTarget.checked)} error={errors.agreed} />
        <Text size="xs" c="dimmed">
          {t('consentFit.version', { version: CURRENT_CONSENT_TEXT_VERSION })}
        </Text>
      </Stack>
    </Paper>
  );
}

export interface ConsentFieldsProps {
  current: ConsentView | null;
  /** Whether `current` lets the consultation's institution follow up (null: no institution chosen yet). */
  covers: boolean | null;
  value: ConsentDraft;
  onChange(patch: Partial<ConsentDraft>): void;
  errors?: ConsentErrors;
  /** Hide the "record now" switch (the consent form in the detail view always records). */
  alwaysRecord?: boolean;
}

/** What the person agreed to share, as recorded so far (with that text's wording), and the controls to record a new consent. */
export function ConsentFields({ current, covers, value, onChange, errors, alwaysRecord }: ConsentFieldsProps) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" data-testid="consent-current">
        {current
          ? t('consultations.consent.current', {
              scope: t(`consentScope.${current.scope}`),
              version: current.textVersion,
              date: new Date(current.givenAt).toLocaleDateString(i18n.language === 'ko' ? 'ko-KR' : 'en-US'),
            })
          : t('consultations.consent.none')}
      </Text>
      {current && <ConsentWordingDetails version={current.textVersion} />}
      {covers !== null && current && (
        <Text size="sm" c={covers ? 'teal' : 'orange'}>
          {covers ? t('consultations.consent.covered') : t('consultations.consent.notCovered')}
        </Text>
      )}
      {!alwaysRecord && <Checkbox label={t('consentFit.recordNow')} checked={value.record} onChange={(e) => onChange({ record: e.currentTarget.checked })} />}
      {(alwaysRecord || value.record) && (
        <ConsentChoice scope={value.scope} agreed={value.agreed} onScope={(scope) => onChange({ scope })} onAgreed={(agreed) => onChange({ agreed })} errors={errors} />
      )}
    </Stack>
  );
}

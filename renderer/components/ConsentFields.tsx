import { Checkbox, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsentView } from '../../shared/schemas/consultations';
import { CONSENT_SCOPES, CURRENT_CONSENT_TEXT_VERSION, type ConsentScope } from '../../shared/vocab';

export interface ConsentDraft {
  record: boolean;
  scope: ConsentScope;
  agreed: boolean;
}

export interface ConsentFieldsProps {
  current: ConsentView | null;
  /** Whether `current` lets the consultation's institution follow up (null: no institution chosen yet). */
  covers: boolean | null;
  value: ConsentDraft;
  onChange(patch: Partial<ConsentDraft>): void;
  error?: string;
  /** Hide the "record now" switch (the consent form in the detail view always records). */
  alwaysRecord?: boolean;
}

/** What the person agreed to share, as recorded so far, and the controls to record a new consent. */
export function ConsentFields({ current, covers, value, onChange, error, alwaysRecord }: ConsentFieldsProps) {
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
      {covers !== null && current && (
        <Text size="sm" c={covers ? 'teal' : 'orange'}>
          {covers ? t('consultations.consent.covered') : t('consultations.consent.notCovered')}
        </Text>
      )}
      {!alwaysRecord && <Checkbox label={t('consultations.consent.record')} checked={value.record} onChange={(e) => onChange({ record: e.currentTarget.checked })} />}
      {(alwaysRecord || value.record) && (
        <>
          <Radio.Group label={t('consultations.consent.scope')} value={value.scope} onChange={(s) => onChange({ scope: s as ConsentScope })}>
            <Stack gap={4} mt={4}>
              {CONSENT_SCOPES.map((s) => (
                <Radio key={s} value={s} label={t(`consentScope.${s}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <Checkbox
            label={t('consultations.consent.agreed', { version: CURRENT_CONSENT_TEXT_VERSION })}
            checked={value.agreed}
            onChange={(e) => onChange({ agreed: e.currentTarget.checked })}
            error={error}
          />
        </>
      )}
    </Stack>
  );
}

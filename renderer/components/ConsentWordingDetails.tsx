import { Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { consentText } from '../../shared/consentTexts';
import { CONSENT_SCOPES, type Language } from '../../shared/vocab';

/**
 * The exact words of a consent text version, in both languages (the person may have read either), behind a
 * "show" link. An imported form's answer shows the form's question it was given to (`wording`, kept with
 * the consent). A version this app does not know (recorded by a newer app) says so instead of guessing.
 */
export function ConsentWordingDetails({ version, wording }: { version: string; wording?: string | null }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const text = consentText(version);
  if (!text && wording) {
    return (
      <Stack gap={2}>
        <Text size="xs" c="dimmed">
          {t('consentFit.formWording')}
        </Text>
        <Text size="sm" fs="italic">
          {wording}
        </Text>
      </Stack>
    );
  }
  if (!text && version.startsWith('form-')) {
    return (
      <Text size="xs" c="dimmed">
        {t('consentFit.formNoWording', { words: version.replace(/^form-[0-9a-f]+ ?/, '') })}
      </Text>
    );
  }
  if (!text) {
    return (
      <Text size="xs" c="dimmed">
        {t('consentFit.unknownVersion', { version })}
      </Text>
    );
  }
  const first: Language = i18n.language === 'ko' ? 'ko' : 'en';
  const order: Language[] = first === 'ko' ? ['ko', 'en'] : ['en', 'ko'];
  return (
    <div>
      <Anchor component="button" type="button" size="sm" ta="left" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? t('consentFit.hideWording', { version }) : t('consentFit.showWording', { version })}
      </Anchor>
      {open && (
        <Stack gap="sm" mt={4} role="region" aria-label={t('consentFit.wordingOf', { version })}>
          {order.map((l) => {
            const w = text[l];
            return (
              <Stack key={l} gap={2} lang={l}>
                <Text size="sm" fw={700}>
                  {w.title} ({l === 'ko' ? '한국어' : 'English'})
                </Text>
                <Text size="sm">{w.statement}</Text>
                <Text size="sm" component="ul" my={0}>
                  {CONSENT_SCOPES.map((s) => (
                    <li key={s}>{w.scopes[s]}</li>
                  ))}
                </Text>
                <Text size="sm" fs="italic">
                  {w.agreement}
                </Text>
              </Stack>
            );
          })}
        </Stack>
      )}
    </div>
  );
}

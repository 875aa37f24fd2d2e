import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/vocab';

export interface LanguageSwitchProps {
  value: Language;
  onChange(language: Language): void;
}

export function LanguageSwitch({ value, onChange }: LanguageSwitchProps) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t('header.language')}
      value={value}
      onChange={(v) => onChange(v as Language)}
      data={[
        { value: 'ko', label: '한국어' },
        { value: 'en', label: 'English' },
      ]}
      size="sm"
      style={{ flexShrink: 0 }}
    />
  );
}

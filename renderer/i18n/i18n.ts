import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/vocab';
import { en } from './en';
import { formatInterpolation } from './formatCount';
import { ko } from './ko';

/** i18next with both languages bundled: the app works offline, so nothing is fetched. */
export function initI18n(language: Language = 'ko'): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { en: { translation: en }, ko: { translation: ko } },
      lng: language,
      fallbackLng: 'en',
      // Counts in sentences are grouped by thousands ("1,234 events"), with or without `, number`.
      interpolation: { escapeValue: false, alwaysFormat: true, format: formatInterpolation },
      returnNull: false,
    });
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  return i18next;
}

import { describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/i18n/i18n';

describe('import counts in the UI', () => {
  it('are written with thousands separators in both languages (a 100,000-row file)', async () => {
    const i18n = initI18n('en');
    await i18n.changeLanguage('en');
    expect(i18n.t('importer.summary', { total: 100000, valid: 99998, invalid: 2 })).toBe('100,000 rows: 99,998 valid, 2 with problems.');
    expect(i18n.t('importer.importValid', { count: 100000 })).toBe('Import the 100,000 valid rows');
    expect(i18n.t('importer.fileInfo', { rows: 100000, format: 'CSV', encoding: 'utf-8' })).toBe('100,000 rows · CSV · utf-8');
    await i18n.changeLanguage('ko');
    expect(i18n.t('importer.summary', { total: 100000, valid: 99998, invalid: 2 })).toBe('전체 100,000행: 정상 99,998행, 문제 2행.');
    expect(i18n.t('importer.fileInfo', { rows: 12000, format: 'CSV', encoding: 'utf-8' })).toBe('12,000행 · CSV · utf-8');
    expect(i18n.t('importer.done', { created: 100000, updated: 0, registered: 0, unchanged: 0, skipped: 0 })).toBe('가져옴: 새로 100,000, 변경 0, 새 등록 0, 변경 없음 0, 건너뜀 0.');
  });
});

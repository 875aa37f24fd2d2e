import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/api/apiClient';
import { formatRelative } from '../../../renderer/i18n/formatRelative';
import { HUB_WORDED_CODES, hubErrorMessage, hubErrorText, upstreamErrorText } from '../../../renderer/i18n/hubErrorMessage';
import { en } from '../../../renderer/i18n/en';
import { ko } from '../../../renderer/i18n/ko';
import { initI18n } from '../../../renderer/i18n/i18n';

const NOW = Date.parse('2026-11-25T15:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

describe('formatRelative', () => {
  it('reads how long ago in the largest whole unit, in English and Korean', () => {
    expect(formatRelative(ago(2), NOW, 'en')).toBe('now');
    expect(formatRelative(ago(12), NOW, 'en')).toBe('12 seconds ago');
    expect(formatRelative(ago(60), NOW, 'en')).toBe('1 minute ago');
    expect(formatRelative(ago(3 * 60 + 59), NOW, 'en')).toBe('3 minutes ago');
    expect(formatRelative(ago(2 * 3600 + 5), NOW, 'en')).toBe('2 hours ago');
    expect(formatRelative(ago(3 * 86400), NOW, 'en')).toBe('3 days ago');
    expect(formatRelative(ago(12), NOW, 'ko')).toBe('12초 전');
    expect(formatRelative(ago(3 * 60), NOW, 'ko')).toBe('3분 전');
  });
  it('reads a time a little ahead (another laptop’s clock) as now, and a broken time as nothing', () => {
    expect(formatRelative(ago(-30), NOW, 'en')).toBe('now');
    expect(formatRelative('not a time', NOW, 'en')).toBe('');
  });
});

describe('hub error wording', () => {
  const i18n = initI18n('en');
  it('speaks of the hub, not HQ, for the sync codes whose general text names HQ', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(hubErrorText(t, 'SYNC_OFFLINE')).toMatch(/^The hub cannot be reached/);
    expect(hubErrorText(t, 'SYNC_REFUSED', { message: 'too large' })).toBe('The hub refused the data: too large');
    expect(hubErrorMessage(t, new ApiError({ code: 'SYNC_INSECURE_URL', message: 'x' }))).toMatch(/^The hub address must start with https:\/\//);
    // Codes without a hub wording read as everywhere else; an unknown code as the generic error.
    expect(hubErrorText(t, 'SYNC_CERT_MISMATCH')).toBe(en.errors.SYNC_CERT_MISMATCH);
    expect(hubErrorText(t, 'NO_SUCH_CODE')).toBe(en.errors.INTERNAL);
    expect(hubErrorText(t, null)).toBe(en.errors.INTERNAL);
    await i18n.changeLanguage('ko');
    expect(hubErrorText(i18n.t.bind(i18n), 'SYNC_OFFLINE')).toMatch(/^허브에 연결할 수 없습니다/);
  });
  it('has a hub wording for every listed code in both languages', () => {
    for (const code of HUB_WORDED_CODES) {
      expect(en.hub.errors[code]).toBeTruthy();
      expect(ko.hub.errors[code]).toBeTruthy();
    }
  });
  it('translates the hub’s own HQ error when it is one of ours and shows any other code as it came', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(upstreamErrorText(t, 'SYNC_OFFLINE')).toBe(en.errors.SYNC_OFFLINE);
    expect(upstreamErrorText(t, 'ECONNRESET')).toBe('ECONNRESET');
  });
});

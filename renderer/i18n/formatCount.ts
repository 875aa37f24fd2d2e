import type { Language } from '../../shared/vocab';

const formats = new Map<string, Intl.NumberFormat>();

/** A count as people read it in the desk's language: thousands grouped ("1,234" in both English and Korean). */
export function formatCount(n: number, language: Language | string): string {
  const locale = language === 'ko' ? 'ko-KR' : 'en-US';
  let f = formats.get(locale);
  if (!f) formats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })));
  return f.format(n);
}

/** Interpolated numbers that are names, not quantities: never grouped ("port 8470", not "8,470"). */
const NOT_QUANTITIES = new Set(['port', 'year', 'version', 'round', 'code', 'pin']);

/**
 * i18next's format function (with `alwaysFormat`): every number interpolated into a sentence is a
 * count unless its key says otherwise, grouped by thousands; `{{n, number}}` as i18next's own formatter did.
 */
export function formatInterpolation(value: unknown, format?: string, lng?: string, options?: { [key: string]: unknown }): string {
  // i18next turns what is returned into text itself: anything but a number goes back as it came.
  if (typeof value !== 'number' || !Number.isFinite(value)) return value as string;
  const key = options?.interpolationkey;
  if (format !== undefined && format !== 'number') return String(value);
  if (format === undefined && typeof key === 'string' && NOT_QUANTITIES.has(key)) return String(value);
  return formatCount(value, lng ?? 'en');
}

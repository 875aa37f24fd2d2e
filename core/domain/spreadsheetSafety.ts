/**
 * Spreadsheet formula injection (CSV injection): a cell that starts with = + - @ (or a tab or
 * carriage return, which some programs strip before reading the rest) can run as a formula when
 * the file is opened. Leading whitespace does not make it safe, and East Asian keyboards type the
 * full-width forms (＝ ＋ － ＠), which some spreadsheet locales also accept. Such cells get a
 * leading apostrophe, the OWASP recommendation: shown as text, nothing evaluated.
 */
const DANGEROUS_START = /^[\s\u00a0\u3000\ufeff]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/u;

export function isFormulaLike(value: string): boolean {
  return DANGEROUS_START.test(value);
}

export function neutralizeFormula(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}

/** The app's own import template: the columns the "template" preset maps, and two example rows. */
export const TEMPLATE_FILE_NAME = 'roadshow-import-template.csv';

export const TEMPLATE_HEADERS = ['family_name', 'given_name', 'name_ko', 'email', 'affiliation', 'career_stage', 'fields', 'scan_token'] as const;

const EXAMPLES = [
  ['Kim', 'Minjun', '김민준', 'minjun.kim@example.edu', 'MIT', 'postdoc', 'ai; robotics', ''],
  ['Garcia', 'Sofia', '', 'sofia.garcia@example.edu', 'Stanford University', 'student', 'quantum', ''],
];

const quote = (c: string): string => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

/** CSV text with a UTF-8 BOM, so Excel opens the Hangul correctly; CRLF line ends as Excel writes them. */
export function templateCsv(): string {
  return `\ufeff${[TEMPLATE_HEADERS as readonly string[], ...EXAMPLES].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

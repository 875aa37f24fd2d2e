import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildFollowUpTable, exportFileName, localDateTime, toCsv, type FollowUpSource } from '../../../core/domain/followUpExport';
import { isFormulaLike, neutralizeFormula } from '../../../core/domain/spreadsheetSafety';
import { followUpXlsx } from '../../../core/export/followUpXlsx';
import { ConsultationContent } from '../../../shared/schemas/consultations';

const hlc = (ms: number) => `${String(ms).padStart(15, '0')}:00000:dev-a`;

function source(id: string, over: Partial<FollowUpSource> = {}, content: Partial<ConsultationContent> = {}): FollowUpSource {
  return {
    consultationId: id,
    institutionId: 'inst-kaist',
    stopLabel: { en: '3-1 New York', ko: '3-1 뉴욕' },
    stopTimeZone: 'America/New_York',
    loggedAt: '2025-11-14T15:32:00.000Z',
    person: { attendeeId: `att-${id}`, familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mk@mit.edu', affiliation: 'MIT' },
    consents: [{ scope: 'all_institutions', institutionId: null, hlc: hlc(1), textVersion: '2025-10-v1', givenAt: '2025-11-14T15:30:00.000Z' }],
    content: ConsultationContent.parse({ staffName: 'Park', fields: ['ai'], otherFields: ['배터리 소재'], programs: ['innocore_postdoc'], interestLevel: 'high', followUpAction: 'Send InnoCORE call', followUpStatus: 'open', ...content }),
    conflict: false,
    ...over,
  };
}

describe('formula neutralising', () => {
  it.each(['=1+1', '+82 10 1234', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '  =HYPERLINK("http://x")', '\n@x', '＝1+1', '\u3000=1'])('neutralises %j', (v) => {
    expect(isFormulaLike(v)).toBe(true);
    expect(neutralizeFormula(v)).toBe(`'${v}`);
  });
  it.each(['Kim', '김민준', 'a=b', 'mk@mit.edu', '', '  plain', '2026-03'])('leaves %j alone', (v) => {
    expect(neutralizeFormula(v)).toBe(v);
  });
});

describe('follow-up table', () => {
  it('keeps only this institution’s consultations with a covering consent and counts the rest', () => {
    const t = buildFollowUpTable(
      [
        source('c1'),
        source('c2', { consents: [{ scope: 'hq_stats', institutionId: null, hlc: hlc(1), textVersion: 'v', givenAt: '2025-11-14T15:30:00.000Z' }] }),
        source('c3', { consents: [{ scope: 'institution', institutionId: 'inst-gist', hlc: hlc(1), textVersion: 'v', givenAt: '2025-11-14T15:30:00.000Z' }] }),
        source('c4', { consents: [{ scope: 'institution', institutionId: 'inst-kaist', hlc: hlc(1), textVersion: 'v', givenAt: '2025-11-14T15:30:00.000Z' }] }),
        source('c5', { consents: [] }),
        source('c6', { person: null }),
        source('c7', { institutionId: 'inst-gist' }),
        // Consent widened later: the latest wins.
        source('c8', {
          consents: [
            { scope: 'all_institutions', institutionId: null, hlc: hlc(9), textVersion: 'v2', givenAt: '2025-11-14T16:00:00.000Z' },
            { scope: 'hq_stats', institutionId: null, hlc: hlc(1), textVersion: 'v1', givenAt: '2025-11-14T15:00:00.000Z' },
          ],
        }),
      ],
      'inst-kaist',
      'en',
    );
    const idCol = t.header.indexOf('Consultation id');
    expect(t.rows.map((r) => r[idCol])).toEqual(['c1', 'c4', 'c8']);
    expect(t.excludedNoConsent).toBe(3);
    expect(t.excludedAnonymous).toBe(1);
    const row = t.rows[0]!;
    expect(row[t.header.indexOf('Consultation time')]).toBe('2025-11-14 10:32');
    expect(row[t.header.indexOf('Research fields')]).toBe('AI, 배터리 소재');
    expect(row[t.header.indexOf('Programs of interest')]).toBe('InnoCORE postdoc');
    expect(row[t.header.indexOf('Consent')]).toBe('All participating institutions');
    expect(t.rows[2]![t.header.indexOf('Consent text version')]).toBe('v2');
  });

  it('labels the table in Korean', () => {
    const t = buildFollowUpTable([source('c1')], 'inst-kaist', 'ko');
    expect(t.header[0]).toBe('상담 일시');
    expect(t.rows[0]).toContain('높음');
    expect(t.rows[0]).toContain('3-1 뉴욕');
    expect(t.rows[0]).toContain('이노코어 박사후연구원');
  });

  it('neutralises formulas typed into any cell', () => {
    const evil = source('c1', { person: { attendeeId: 'a', familyName: '=HYPERLINK("http://evil","x")', givenName: ' +1', nameKo: '김', email: '\t=cmd|/c calc', affiliation: '@SUM(1)' } }, { notes: '-2+3', followUpOwner: '+owner' });
    const t = buildFollowUpTable([evil], 'inst-kaist', 'en');
    const cell = (h: string) => t.rows[0]![t.header.indexOf(h)];
    expect(cell('Family name')).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(cell('Given name')).toBe(`' +1`);
    expect(cell('Affiliation')).toBe(`'@SUM(1)`);
    expect(cell('Notes')).toBe(`'-2+3`);
    expect(cell('Email')).toBe(`'\t=cmd|/c calc`);
    expect(cell('Follow-up owner')).toBe(`'+owner`);
    for (const r of t.rows) for (const v of r) expect(isFormulaLike(v)).toBe(false);
  });

  it('writes CSV as UTF-8 with a BOM, CRLF and quoted cells', () => {
    const t = buildFollowUpTable([source('c1', {}, { notes: 'Line 1\nsaid "hi", 안녕하세요' })], 'inst-kaist', 'ko');
    const csv = toCsv(t);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split('\r\n')[0]!.startsWith('\ufeff상담 일시,행사,')).toBe(true);
    expect(csv).toContain('"Line 1\nsaid ""hi"", 안녕하세요"');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(bytes.toString('utf8')).toContain('김민준');
  });

  it('round-trips Hangul and neutralised cells through an .xlsx file read back with exceljs', async () => {
    const t = buildFollowUpTable([source('c1', {}, { notes: '=1+1 연구실 방문 희망' })], 'inst-kaist', 'ko');
    const bytes = await followUpXlsx(t, 'KAIST', { title: '한국과학기술원', createdAt: new Date('2025-11-14T00:00:00Z') });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('KAIST')!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(t.header);
    expect(values(2)).toEqual(t.rows[0]);
    expect(values(2)).toContain('김민준');
    expect(values(2)).toContain("'=1+1 연구실 방문 희망");
    // Stored as text, not as a formula.
    ws.getRow(2).eachCell((cell) => expect(cell.type).toBe(ExcelJS.ValueType.String));
  });

  it('makes ASCII file names and local times', () => {
    expect(exportFileName(['follow-ups', 'Hanbit Semi', '3-1-New York', '2025-11-14'], 'csv')).toBe('follow-ups_Hanbit-Semi_3-1-New-York_2025-11-14.csv');
    expect(exportFileName(['한빛'], 'xlsx')).toBe('export.xlsx');
    expect(localDateTime('2025-11-14T15:32:00.000Z', 'Asia/Seoul')).toBe('2025-11-15 00:32');
  });
});

import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../../shared/events/attendeeEvents';
import type { ImportMapping } from '../../../shared/ipc/importContract';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RESOURCES_DIR } from '../../helpers/testStore';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
const eventsOf = (s: Store, type: string) =>
  (s.db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY local_seq').all(type) as { payload: string }[]).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
/** Every row of every import slice, in order. */
const importedRows = (s: Store) => eventsOf(s, 'registrations_imported').flatMap((p) => p.rows as ImportedRow[]);

const TEMPLATE_ROWS = [
  ['family_name', 'given_name', 'name_ko', 'email', 'affiliation', 'career_stage', 'fields', 'scan_token'],
  ['Kim', 'Minjun', '김민준', 'minjun.kim@mit.edu', 'MIT', 'postdoc', 'ai; robotics', 'EB-1001'],
  ['Garcia', 'Sofía', '', 'sofia@stanford.edu', 'Stanford University, Dept. of "Physics"', 'student', 'quantum', ''],
  ['', '', '이서연', '', '서울대학교', '박사후연구원', '반도체', ''],
];
const csv = (rows: string[][], sep = ','): string =>
  rows.map((r) => r.map((c) => (/[",\n\r\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)).join('\r\n') + '\r\n';

async function upload(ctx: ApiContext, bytes: Buffer, fileName = 'people.csv', chunk = 64 * 1024) {
  const uploadId = randomUUID();
  const count = Math.max(1, Math.ceil(bytes.length / chunk));
  for (let i = 0; i < count; i++) {
    await callApi(ctx, 'import:upload', { uploadId, fileName, index: i, count, data: bytes.subarray(i * chunk, (i + 1) * chunk).toString('base64') });
  }
  return callApi(ctx, 'import:parse', { uploadId });
}

describe('import of pre-registrations', () => {
  let store: Store;
  let ctx: ApiContext;
  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 60 });
    ctx = createTestContext(store);
  });

  const encodings: [string, (text: string) => Buffer, string][] = [
    ['UTF-8', (t) => Buffer.from(t, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]), 'utf-8-bom'],
    ['UTF-16LE with BOM (Excel Unicode text)', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), 'utf-16le'],
    ['UTF-16LE without BOM', (t) => Buffer.from(t, 'utf16le'), 'utf-16le'],
    ['UTF-16BE with BOM', (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(t, 'utf-16be')]), 'utf-16be'],
    ['CP949 (Korean Excel)', (t) => iconv.encode(t, 'cp949'), 'cp949'],
    ['EUC-KR', (t) => iconv.encode(t, 'euc-kr'), 'cp949'],
  ];
  for (const [label, encode, expected] of encodings) {
    it(`reads ${label}`, async () => {
      const sep = expected.startsWith('utf-16') ? '\t' : ',';
      const text = csv(TEMPLATE_ROWS, sep).replace('Sofía', expected === 'cp949' ? 'Sofia' : 'Sofía');
      const parsed = await upload(ctx, encode(text));
      expect(parsed.encoding).toBe(expected);
      expect(parsed.delimiter).toBe(sep);
      expect(parsed.rowCount).toBe(3);
      expect(parsed.detectedPreset).toBe('template');
      expect(parsed.preview[2]![2]).toBe('이서연');
      expect(parsed.preview[1]![4]).toBe('Stanford University, Dept. of "Physics"');
    });
  }

  it('reads quoted fields with commas and line breaks, CRLF and blank rows, with file row numbers', async () => {
    const text = 'family_name,given_name,name_ko,email,affiliation\r\n\r\nKim,"Min\r\njun",,bad-email,"MIT, CSAIL"\r\n,,,,\r\nLee,Ann,,ann@x.edu,UIUC\r\n';
    const parsed = await upload(ctx, Buffer.from(text));
    expect(parsed.rowCount).toBe(2);
    expect(parsed.preview[0]![1]).toBe('Min\r\njun');
    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report.issues).toEqual([{ row: 3, reasons: [{ code: 'invalid_email', field: 'email', otherRow: null }], name: 'Min jun Kim', email: 'bad-email', imported: false }]);
  });

  it('reads XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Attendees');
    for (const r of TEMPLATE_ROWS) ws.addRow(r);
    ws.addRow([]);
    const parsed = await upload(ctx, Buffer.from(await wb.xlsx.writeBuffer()), 'people.xlsx');
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rowCount).toBe(3);
    expect(parsed.mapping).toMatchObject({ familyName: 0, givenName: 1, nameKo: 2, email: 3, scanToken: 7 });
  });

  it('maps the Eventbrite attendee export (barcode becomes the scan token) and the Google Forms export', async () => {
    const eb = [
      ['Order #', 'Order Date', 'First Name', 'Last Name', 'Email', 'Quantity', 'Ticket Type', 'Attendee #', 'Barcode #', 'Buyer First Name', 'Buyer Last Name', 'Company', 'Job Title'],
      ['123', '2025-10-01', 'Minjun', 'Kim', 'mk@mit.edu', '1', 'General', '9001', '123900101', 'X', 'Y', 'MIT', 'Postdoctoral Associate'],
    ];
    const p1 = await upload(ctx, Buffer.from(csv(eb)));
    expect(p1.detectedPreset).toBe('eventbrite');
    expect(p1.mapping).toEqual({ givenName: 2, familyName: 3, email: 4, affiliation: 11, careerStage: 12, scanToken: 8 });
    const out = await callApi(ctx, 'import:commit', { uploadId: p1.uploadId, stopId: DEMO_STOP, mapping: p1.mapping });
    expect(out.created).toBe(1);
    const scan = await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: '123900101' });
    expect(scan.kind).toBe('checked_in');
    if (scan.kind === 'checked_in') expect(scan.registration.attendee).toMatchObject({ familyName: 'Kim', careerStage: 'postdoc', affiliation: 'MIT' });

    const gf = [
      ['Timestamp', 'Email Address', 'Family name / 성', 'Given name / 이름', 'Name in Korean (한글 이름)', 'Affiliation / 소속', 'Career stage / 신분', 'Research fields / 관심 분야'],
      ['2025/10/01 10:00:00', 'jh@purdue.edu', 'Park', 'Jihoon', '박지훈', 'Purdue University', '학생', 'AI, 양자'],
    ];
    const p2 = await upload(ctx, Buffer.from(csv(gf)));
    expect(p2.detectedPreset).toBe('google_forms');
    expect(p2.mapping).toMatchObject({ email: 1, familyName: 2, givenName: 3, nameKo: 4, affiliation: 5, careerStage: 6, fields: 7 });
    await callApi(ctx, 'import:commit', { uploadId: p2.uploadId, stopId: DEMO_STOP, mapping: p2.mapping });
    const [hit] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'jh@purdue.edu', limit: 5 });
    expect(hit!.attendee).toMatchObject({ careerStage: 'student', fields: ['ai', 'quantum'] });
    expect(hit!.source).toBe('import');
  });

  it('reports invalid rows (row number and reason) before writing, imports only valid rows in one go, and nothing on a bad mapping', async () => {
    const rows = [
      TEMPLATE_ROWS[0]!,
      ['Kim', 'Minjun', '', 'minjun@mit.edu', 'MIT', '', '', ''],
      ['', '', '', 'nobody@mit.edu', 'MIT', '', '', ''],
      ['Lee', 'Ann', '', 'not-an-email', 'UIUC', '', '', ''],
      ['Kim', 'Minjun', '', 'MINJUN@mit.edu', 'MIT', '', '', ''],
      ['Ok', 'Person', '', '', 'X'.repeat(201), '', '', ''],
      ['Choi', 'Yuna', '', 'yuna@gt.edu', 'Georgia Tech', '', '', 'RS-DEMO00000'],
    ];
    const parsed = await upload(ctx, Buffer.from(csv(rows)));
    const before = eventCount(store);
    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(eventCount(store)).toBe(before);
    // Issue #22: a scan code already in use no longer rejects the row: the person comes in with a new code, and the row is listed.
    expect(report).toMatchObject({ total: 6, valid: 2, invalid: 4, toCreate: 2, newCodes: 1 });
    expect(report.issues.map((i) => [i.row, i.reasons.map((r) => r.code)])).toEqual([
      [3, ['missing_name']],
      [4, ['invalid_email']],
      [5, ['duplicate_in_file']],
      [6, ['too_long']],
      [7, ['token_taken']],
    ]);
    expect(report.issues.map((i) => i.imported)).toEqual([false, false, false, false, true]);
    expect(report.issues[2]!.reasons[0]!.otherRow).toBe(2);

    const noName: ImportMapping = { email: 3 };
    expect((await callApiError(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: noName })).code).toBe('IMPORT_NO_NAME_COLUMN');
    expect((await callApiError(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: { familyName: 42 } })).code).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);

    const out = await callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: 2, skipped: 4, newCodes: 1, events: 1 });
    expect(eventCount(store)).toBe(before + 1);
  });

  it('re-importing the same file changes nothing; an updated file updates only changed fields; people are recognised by email or name + affiliation', async () => {
    const first = await upload(ctx, Buffer.from(csv(TEMPLATE_ROWS)));
    const o1 = await callApi(ctx, 'import:commit', { uploadId: first.uploadId, stopId: DEMO_STOP, mapping: first.mapping });
    expect(o1).toMatchObject({ created: 3, updated: 0, events: 1 });
    const rows1 = importedRows(store);
    expect(rows1.map((r) => r.created)).toEqual([true, true, true]);
    const tokens = new Set(rows1.map((r) => r.registration!.scanToken));
    expect(tokens.size).toBe(3);
    expect(tokens.has('EB-1001')).toBe(true);

    const n = eventCount(store);
    const again = await upload(ctx, Buffer.from(csv(TEMPLATE_ROWS)));
    expect(again.remembered).toBe(true);
    const report = await callApi(ctx, 'import:check', { uploadId: again.uploadId, stopId: DEMO_STOP, mapping: again.mapping });
    expect(report).toMatchObject({ toCreate: 0, toUpdate: 0, toRegister: 0, unchanged: 3 });
    const o2 = await callApi(ctx, 'import:commit', { uploadId: again.uploadId, stopId: DEMO_STOP, mapping: again.mapping });
    expect(o2.events).toBe(0);
    expect(eventCount(store)).toBe(n);

    const changed = TEMPLATE_ROWS.map((r) => [...r]);
    changed[1]![4] = 'KAIST'; // Kim Minjun moved (recognised by email)
    changed[3]![3] = 'seoyeon@snu.ac.kr'; // 이서연 gains an email (recognised by name + affiliation)
    const updated = await upload(ctx, Buffer.from(csv(changed)));
    const o3 = await callApi(ctx, 'import:commit', { uploadId: updated.uploadId, stopId: DEMO_STOP, mapping: updated.mapping });
    expect(o3).toMatchObject({ created: 0, updated: 2, unchanged: 1, events: 1 });
    const updates = importedRows(store).slice(3);
    expect(updates).toEqual([
      { created: false, attendeeId: rows1[0]!.attendeeId, set: { affiliation: 'KAIST' } },
      { created: false, attendeeId: rows1[2]!.attendeeId, set: { email: 'seoyeon@snu.ac.kr' } },
    ]);
    const [kim] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'minjun.kim@mit.edu', limit: 5 });
    expect(kim!.attendee).toMatchObject({ affiliation: 'KAIST', nameKo: '김민준', careerStage: 'postdoc', fields: ['ai', 'robotics'] });
  });

  it('writes a large import as slices of rows that project like per-person events, and registers known people at a new stop', async () => {
    const n = IMPORT_BATCH_ROWS * 2 + 7;
    const rows = [TEMPLATE_ROWS[0]!, ...Array.from({ length: n }, (_, i) => ['Park', `Jiwoo${i}`, `박지우${i}`, `jiwoo${i}@cmu.edu`, 'CMU', 'student', 'ai', `TK-${i}`])];
    const parsed = await upload(ctx, Buffer.from(csv(rows)));
    const out = await callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: n, events: 3 });
    expect(eventsOf(store, 'registrations_imported').map((p) => (p.rows as unknown[]).length)).toEqual([IMPORT_BATCH_ROWS, IMPORT_BATCH_ROWS, 7]);
    // Searchable at once (the search index folds in the people named inside the slices).
    const [hit] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'TK-300', limit: 5 });
    expect(hit!.attendee).toMatchObject({ givenName: 'Jiwoo300', nameKo: '박지우300', email: 'jiwoo300@cmu.edu' });
    // The same file at another stop: the same people, registered there (no new person, no change).
    const other = 'stop-04-pittsburgh';
    const again = await upload(ctx, Buffer.from(csv(rows.map((r, i) => (i === 0 ? r : r.slice(0, 7).concat(''))))));
    const o2 = await callApi(ctx, 'import:commit', { uploadId: again.uploadId, stopId: other, mapping: again.mapping });
    expect(o2).toMatchObject({ created: 0, updated: 0, registered: n, events: 3 });
    const last = importedRows(store).at(-1)!;
    expect(last).toMatchObject({ created: false, set: {}, registration: { registrationId: expect.any(String) } });
    expect((await callApi(ctx, 'checkin:counts', { stopId: other })).registered).toBeGreaterThanOrEqual(n);
    // Equal to folding the log again from scratch.
    const hash = store.events.projectionHash();
    store.events.rebuildProjections();
    expect(store.events.projectionHash()).toBe(hash);
  });

  it('says clearly when a file cannot be read, and when an upload is gone', async () => {
    expect((await callApiError(ctx, 'import:parse', { uploadId: 'gone' })).code).toBe('IMPORT_EXPIRED');
    const uploadId = randomUUID();
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'old.xls', index: 0, count: 1, data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]).toString('base64') });
    const err = await callApiError(ctx, 'import:parse', { uploadId });
    expect(err).toMatchObject({ code: 'IMPORT_UNREADABLE', details: { reason: 'legacy_xls' } });
    expect((await callApiError(ctx, 'import:upload', { uploadId, fileName: 'x', index: 0, count: 1, data: '@@not base64' })).code).toBe('VALIDATION');
  });

  it('takes a chunk as bytes as well as base64 (the same file either way), and refuses what is neither or too large', async () => {
    const text = Buffer.from('family_name,given_name,email\r\nPark,Jiwoo,jiwoo@example.edu\r\n박,지우,jiwoo2@example.edu\r\n');
    const asBytes = randomUUID();
    const asText = randomUUID();
    await callApi(ctx, 'import:upload', { uploadId: asBytes, fileName: 'b.csv', index: 0, count: 2, data: new Uint8Array(text.subarray(0, 40)) });
    await callApi(ctx, 'import:upload', { uploadId: asBytes, fileName: 'b.csv', index: 1, count: 2, data: text.subarray(40) });
    await callApi(ctx, 'import:upload', { uploadId: asText, fileName: 'b.csv', index: 0, count: 1, data: text.toString('base64') });
    const [a, b] = [await callApi(ctx, 'import:parse', { uploadId: asBytes }), await callApi(ctx, 'import:parse', { uploadId: asText })];
    expect(a.preview).toEqual([['Park', 'Jiwoo', 'jiwoo@example.edu'], ['박', '지우', 'jiwoo2@example.edu']]);
    expect(b.preview).toEqual(a.preview);
    for (const data of [{ 0: 1, 1: 2 }, [1, 2, 3], new Uint16Array(4), new Uint8Array(12 * 1024 * 1024 + 1)]) {
      expect((await callApiError(ctx, 'import:upload', { uploadId: randomUUID(), fileName: 'x.csv', index: 0, count: 1, data: data as Uint8Array })).code).toBe('VALIDATION');
    }
  });

  it('ships the template it offers', async () => {
    const t = await callApi(ctx, 'import:template', {});
    expect(readFileSync(path.join(RESOURCES_DIR, 'import', t.fileName), 'utf8')).toBe(t.text);
    const parsed = await upload(ctx, Buffer.from(t.text));
    expect(parsed.detectedPreset).toBe('template');
    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report).toMatchObject({ total: 2, valid: 2, invalid: 0 });
  });
});

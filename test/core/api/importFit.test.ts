import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { importRunner } from '../../../core/import/importRunner';
import type { Store } from '../../../core/store/openStore';
import type { RejectedRowLabels } from '../../../shared/ipc/importRejectsContract';
import type { ImportProgressView } from '../../../shared/ipc/importProgressContract';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

/** Issue #22: imports of the exports this programme really gets. Files are made here in the shapes those tools write. */

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) {
    await importRunner(s).close();
    disposeTestStore(s);
  }
});
function context(): { store: Store; ctx: ApiContext } {
  const store = createTestStore({ demo: true, attendees: 30 });
  stores.push(store);
  return { store, ctx: createTestContext(store) };
}

const csv = (rows: string[][], eol = '\r\n'): string => rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(eol) + eol;

async function upload(ctx: ApiContext, bytes: Buffer, fileName = 'people.csv', chunk = 64 * 1024) {
  const uploadId = randomUUID();
  const count = Math.max(1, Math.ceil(bytes.length / chunk));
  for (let i = 0; i < count; i++) await callApi(ctx, 'import:upload', { uploadId, fileName, index: i, count, data: new Uint8Array(bytes.subarray(i * chunk, (i + 1) * chunk)) });
  return callApi(ctx, 'import:parse', { uploadId, stopId: DEMO_STOP });
}

const consentOf = async (ctx: ApiContext, store: Store, email: string) => {
  const row = store.db.prepare('SELECT id FROM attendees WHERE email = ?').get(email) as { id: string } | undefined;
  expect(row, email).toBeDefined();
  return callApi(ctx, 'consultations:attendeeConsent', { attendeeId: row!.id });
};

// A Korean Google Forms export, saved again by Korean Excel (CP949): the form's own questions as headers.
const FORM_HEADERS = ['타임스탬프', '성명(한글)', '영문 이름', '소속', '과정/직위', '이메일', '개인정보 수집·이용 동의', '개인정보 제3자(참여기관) 제공 동의'];
const FORM_ROWS = [
  ['2025. 10. 1 오전 10:00:00', '김민준', 'Minjun Kim', 'KAIST', '박사후연구원', 'minjun.kim@kaist.ac.kr', '동의합니다', '동의합니다'],
  ['2025. 10. 1 오전 10:05:00', '이서연', 'Seoyeon Lee', '서울대학교', '박사과정', 'seoyeon.lee@snu.ac.kr', '동의합니다', '동의하지 않습니다'],
  ['2025. 10. 2 오후 3:12:00', '박지훈', 'Jihoon Park', 'Purdue University', '교수', 'jihoon.park@purdue.edu', '동의합니다', ''],
];

describe('import of a Korean Google Forms export (CP949)', () => {
  it('guesses the name columns and the consent question, and records each answer as the person’s consent', async () => {
    const { store, ctx } = context();
    const bytes = iconv.encode(csv([FORM_HEADERS, ...FORM_ROWS]), 'cp949');
    const parsed = await upload(ctx, bytes, '사전등록.csv');
    expect(parsed.encoding).toBe('cp949');
    expect(parsed.detectedPreset).toBe('google_forms');
    expect(parsed.mapping).toEqual({ nameKo: 1, fullName: 2, affiliation: 3, careerStage: 4, email: 5, consent: 7 });
    expect(parsed.guessed).toEqual(['consent']);
    // Picking the preset by hand keeps what the header words gave (it used to drop every name column).
    expect(parsed.presetMappings.google_forms).toEqual(parsed.mapping);

    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report).toMatchObject({ total: 3, valid: 3, invalid: 0, toCreate: 3, consent: { agreed: 1, declined: 1, unclear: 1, toRecord: 2 } });
    expect(report.consentTextVersion).toMatch(/^form-[0-9a-f]{8} 개인정보 제3자\(참여기관\) 제공 동의$/);

    const out = await callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: 3, consents: 2, events: 3 });
    const [kim] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '김민준', limit: 5 });
    expect(kim!.attendee).toMatchObject({ familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', affiliation: 'KAIST', careerStage: 'postdoc' });
    // Agreed to sharing with participating institutions; declined: shared with no institution; blank: nothing recorded.
    expect(await consentOf(ctx, store, 'minjun.kim@kaist.ac.kr')).toMatchObject({ scope: 'all_institutions', institutionId: null, textVersion: report.consentTextVersion });
    expect(await consentOf(ctx, store, 'seoyeon.lee@snu.ac.kr')).toMatchObject({ scope: 'hq_stats', textVersion: report.consentTextVersion });
    expect(await consentOf(ctx, store, 'jihoon.park@purdue.edu')).toBeNull();
    // The question the person answered is kept with the consent, word for word.
    const kimId = (store.db.prepare('SELECT id FROM attendees WHERE email = ?').get('minjun.kim@kaist.ac.kr') as { id: string }).id;
    const [given] = await callApi(ctx, 'consent:history', { attendeeId: kimId });
    expect(given).toMatchObject({ textVersion: report.consentTextVersion, wording: '개인정보 제3자(참여기관) 제공 동의', effective: true });
    // Ordinary consent_recorded events, after the people they name.
    const types = (store.db.prepare('SELECT type FROM events ORDER BY local_seq DESC LIMIT 3').all() as { type: string }[]).map((r) => r.type).reverse();
    expect(types).toEqual(['registrations_imported', 'consent_recorded', 'consent_recorded']);

    // The same file again: nothing new to record.
    const again = await upload(ctx, bytes, '사전등록.csv');
    expect(again.remembered).toBe(true);
    const r2 = await callApi(ctx, 'import:check', { uploadId: again.uploadId, stopId: DEMO_STOP, mapping: again.mapping });
    expect(r2).toMatchObject({ unchanged: 3, consent: { toRecord: 0 } });
    expect((await callApi(ctx, 'import:commit', { uploadId: again.uploadId, stopId: DEMO_STOP, mapping: again.mapping })).events).toBe(0);

    // Kim withdraws in a later export: the refusal is recorded and replaces the earlier agreement.
    const withdrawn = FORM_ROWS.map((r) => [...r]);
    withdrawn[0]![7] = '동의하지 않습니다';
    const later = await upload(ctx, iconv.encode(csv([FORM_HEADERS, ...withdrawn]), 'cp949'), '사전등록.csv');
    const o3 = await callApi(ctx, 'import:commit', { uploadId: later.uploadId, stopId: DEMO_STOP, mapping: later.mapping });
    expect(o3).toMatchObject({ created: 0, consents: 1, events: 1 });
    expect(await consentOf(ctx, store, 'minjun.kim@kaist.ac.kr')).toMatchObject({ scope: 'hq_stats' });
    // Equal to folding the log again.
    const hash = store.events.projectionHash();
    store.events.rebuildProjections();
    expect(store.events.projectionHash()).toBe(hash);
  });

  it('refuses a check without a name column (the desk is told which error), and writes nothing', async () => {
    const { ctx } = context();
    const parsed = await upload(ctx, iconv.encode(csv([FORM_HEADERS, ...FORM_ROWS]), 'cp949'));
    expect((await callApiError(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: { email: 5, consent: 7 } })).code).toBe('IMPORT_NO_NAME_COLUMN');
  });
});

// Eventbrite's attendee export with a custom question for the Korean name, and the attendee status.
const EB_HEADERS = ['Order #', 'Order Date', 'First Name', 'Last Name', 'Email', 'Quantity', 'Ticket Type', 'Attendee #', 'Barcode #', 'Buyer First Name', 'Buyer Last Name', 'Buyer Email', 'Attendee Status', 'Company', 'Job Title', 'Name in Korean (optional)'];
const eb = (i: number, first: string, last: string, ko: string, status: string, barcode = `EB${1000 + i}`) => [
  `${9000 + i}`,
  '2025-10-01 10:00',
  first,
  last,
  `${first.toLowerCase()}.${last.toLowerCase()}@example.edu`,
  '1',
  'General Admission',
  `${7000 + i}`,
  barcode,
  first,
  last,
  `${first.toLowerCase()}@buyer.example.com`,
  status,
  'MIT',
  'Postdoctoral Associate',
  ko,
];

describe('import of an Eventbrite export with a Korean-name question and attendee status', () => {
  it('imports the Hangul names (searchable), skips rows not attending, and counts only those who come', async () => {
    const { ctx } = context();
    const before = await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    const rows = [
      EB_HEADERS,
      eb(1, 'Minjun', 'Kim', '김민준', 'Attending'),
      eb(2, 'Sora', 'Han', '한소라', 'Not Attending'),
      eb(3, 'Jiwoo', 'Park', '', 'Checked In'),
      eb(4, 'Yuna', 'Choi', '최유나', 'Cancelled'),
      // Cancelled and registered again: the cancelled row is skipped, not taken for a duplicate of this one.
      eb(5, 'Yuna', 'Choi', '최유나', 'Attending', 'EB2000'),
    ];
    const parsed = await upload(ctx, Buffer.from(csv(rows)));
    expect(parsed.detectedPreset).toBe('eventbrite');
    expect(parsed.mapping).toMatchObject({ givenName: 2, familyName: 3, email: 4, scanToken: 8, attendance: 12, affiliation: 13, careerStage: 14, nameKo: 15 });
    expect(parsed.guessed).toEqual(['nameKo']);
    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report).toMatchObject({ total: 5, valid: 3, invalid: 0, notAttending: 2, toCreate: 3, issues: [] });
    const out = await callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: 3, notAttending: 2 });
    expect((await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP })).registered).toBe(before.registered + 3);
    const [kim] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '김민준', limit: 5 });
    expect(kim!.attendee).toMatchObject({ givenName: 'Minjun', familyName: 'Kim', nameKo: '김민준' });
    expect(await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '한소라', limit: 5 })).toEqual([]);
    // The cancelled ticket's barcode does not check anyone in; the new one does.
    expect((await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: 'EB1004' })).kind).not.toBe('checked_in');
    expect((await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: 'EB2000' })).kind).toBe('checked_in');
  });
});

const LABELS: RejectedRowLabels = {
  rowHeader: 'Row in file',
  reasonHeader: 'Reason',
  reasons: {
    missing_name: 'No name',
    invalid_email: 'Email address is not valid',
    too_long: '“{{field}}” is too long',
    duplicate_in_file: 'Same person as row {{otherRow}}',
    token_taken: 'Scan code already used',
    token_taken_row: 'Scan code already used in row {{otherRow}}',
    invalid_token: 'Scan code has spaces or is too long',
  },
  fields: { email: 'Email' },
  outcome: { header: 'Result', rejected: 'Not imported', imported: 'Imported with a new scan code' },
};

describe('problem rows: scan codes in use, multi-line cells, spreadsheet row numbers', () => {
  it('imports a person whose scan code is taken with a new code, and lists every problem row with its row, name and email', async () => {
    const { store, ctx } = context();
    const taken = (store.db.prepare('SELECT scan_token FROM registrations LIMIT 1').get() as { scan_token: string }).scan_token;
    const rows = [
      ['family_name', 'given_name', 'name_ko', 'email', 'affiliation', 'scan_token'],
      // Row 2: a note of three lines in the affiliation cell: still one row of the spreadsheet.
      ['Kim', 'Minjun', '김민준', 'minjun@kaist.ac.kr', 'KAIST\nDept. of Physics\n(visiting)', 'NEW-1'],
      ['Lee', 'Sora', '이소라', 'sora@snu.ac.kr', 'SNU', taken], // row 3: another person's code
      ['Park', 'Jiwoo', '박지우', 'not-an-email', 'CMU', 'NEW-2'], // row 4: rejected
      ['Choi', 'Yuna', '최유나', 'yuna@gt.edu', 'Georgia Tech', 'new-1'], // row 5: row 2's code
    ];
    const parsed = await upload(ctx, Buffer.from(csv(rows)));
    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report).toMatchObject({ total: 4, valid: 3, invalid: 1, toCreate: 3, newCodes: 2 });
    expect(report.issues).toEqual([
      { row: 3, name: 'Sora Lee (이소라)', email: 'sora@snu.ac.kr', imported: true, reasons: [{ code: 'token_taken', field: 'scanToken', otherRow: null, value: taken }] },
      { row: 4, name: 'Jiwoo Park (박지우)', email: 'not-an-email', imported: false, reasons: [{ code: 'invalid_email', field: 'email', otherRow: null }] },
      { row: 5, name: 'Yuna Choi (최유나)', email: 'yuna@gt.edu', imported: true, reasons: [{ code: 'token_taken', field: 'scanToken', otherRow: 2, value: 'new-1' }] },
    ]);
    const download = await callApi(ctx, 'import:rejectedRows', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping, labels: LABELS });
    expect(download.count).toBe(3);
    const lines = download.text.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('family_name,given_name,name_ko,email,affiliation,scan_token,Row in file,Reason,Result');
    expect(lines[1]).toBe(`Lee,Sora,이소라,sora@snu.ac.kr,SNU,${taken},3,Scan code already used,Imported with a new scan code`);
    expect(lines[2]).toBe('Park,Jiwoo,박지우,not-an-email,CMU,NEW-2,4,Email address is not valid,Not imported');
    expect(lines[3]).toBe('Choi,Yuna,최유나,yuna@gt.edu,Georgia Tech,new-1,5,Scan code already used in row 2,Imported with a new scan code');

    const out = await callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: 3, skipped: 1, newCodes: 2 });
    const [lee] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '이소라', limit: 5 });
    expect(lee!.scanToken).not.toBe(taken);
    expect(lee!.scanToken.length).toBeGreaterThan(0);
    // The taken code still checks in its owner, not Lee.
    const scan = await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: taken });
    if (scan.kind !== 'unknown') expect(scan.registration.attendee.email).not.toBe('sora@snu.ac.kr');
  });

  it('names an unclosed quote with its row and the rows lost, in the streamed (UTF-8) and the whole-file (CP949) reading', async () => {
    const { ctx, store } = context();
    const lines = ['family_name,given_name,email,affiliation', 'Kim,Minjun,minjun@kaist.ac.kr,KAIST', 'Lee,Sora,sora@snu.ac.kr,"SNU'];
    for (let i = 0; i < 998; i++) lines.push(`Park,P${i},p${i}@cmu.edu,CMU`);
    const text = lines.join('\r\n') + '\r\n';
    const before = (store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    for (const bytes of [Buffer.from(text), iconv.encode(text.replace('Kim', '김'), 'cp949')]) {
      const uploadId = randomUUID();
      const chunk = 8 * 1024;
      const count = Math.ceil(bytes.length / chunk);
      for (let i = 0; i < count; i++) await callApi(ctx, 'import:upload', { uploadId, fileName: 'broken.csv', index: i, count, data: new Uint8Array(bytes.subarray(i * chunk, (i + 1) * chunk)) });
      const err = await callApiError(ctx, 'import:parse', { uploadId });
      expect(err).toMatchObject({ code: 'IMPORT_UNCLOSED_QUOTE', details: { row: 3, rowsNotRead: 998 } });
      expect(err.message).toBe('Row 3 opens a quote that never closes; 998 rows not read');
    }
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(before);
  });
});

describe('progress of every phase, read while the import threads work', () => {
  it('counts rows read, checked and written, and says when the commit is saving', async () => {
    const { ctx } = context();
    const n = 3000;
    const lines = ['family_name,given_name,email,affiliation'];
    for (let i = 0; i < n; i++) lines.push(`Park,Jiwoo${i},jiwoo${i}@cmu.edu,CMU`);
    const parsed = await upload(ctx, Buffer.from(lines.join('\r\n')), 'many.csv', 16 * 1024);
    expect(await callApi(ctx, 'import:progress', { uploadId: parsed.uploadId })).toEqual({ phase: 'reading', done: n, total: 0 });
    // Another upload's progress is not this one's.
    expect(await callApi(ctx, 'import:progress', { uploadId: randomUUID() })).toEqual({ phase: 'idle', done: 0, total: 0 });

    const report = await callApi(ctx, 'import:check', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: { familyName: 0, givenName: 1, email: 2, affiliation: 3 } });
    expect(report.valid).toBe(n);
    expect(await callApi(ctx, 'import:progress', { uploadId: parsed.uploadId })).toEqual({ phase: 'checking', done: n, total: n });

    // Read while the commit runs: never backwards within a phase, and complete at the end.
    const seen: ImportProgressView[] = [];
    let running = true;
    const commit = callApi(ctx, 'import:commit', { uploadId: parsed.uploadId, stopId: DEMO_STOP, mapping: { familyName: 0, givenName: 1, email: 2, affiliation: 3 } }).finally(() => {
      running = false;
    });
    while (running) {
      seen.push(await callApi(ctx, 'import:progress', { uploadId: parsed.uploadId }));
      await new Promise((r) => setImmediate(r));
    }
    expect((await commit).created).toBe(n);
    const writing = seen.filter((s) => s.phase === 'writing' || s.phase === 'saving');
    for (let i = 1; i < writing.length; i++) expect(writing[i]!.done).toBeGreaterThanOrEqual(writing[i - 1]!.done);
    for (const s of writing) expect(s.total).toBe(n);
    expect(await callApi(ctx, 'import:progress', { uploadId: parsed.uploadId })).toEqual({ phase: 'saving', done: n, total: n });
  });
});

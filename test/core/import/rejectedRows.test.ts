import { afterEach, describe, expect, it } from 'vitest';
import { importRunner } from '../../../core/import/importRunner';
import type { Store } from '../../../core/store/openStore';
import type { RejectedRowLabels } from '../../../shared/ipc/importRejectsContract';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) {
    await importRunner(s).close();
    disposeTestStore(s);
  }
});

const KO: RejectedRowLabels = {
  rowHeader: '원본 행',
  reasonHeader: '제외 사유',
  reasons: {
    missing_name: '이름 없음',
    invalid_email: '이메일 주소가 올바르지 않음',
    too_long: '“{{field}}” 너무 김',
    duplicate_in_file: '{{otherRow}}행과 같은 사람',
    token_taken: '이미 쓰인 스캔 코드',
    token_taken_row: '{{otherRow}}행에서 이미 쓰인 스캔 코드',
    invalid_token: '스캔 코드에 공백이 있거나 너무 김',
  },
  fields: { email: '이메일', affiliation: '소속' },
};

/** Splits the CSV the test wrote (no newlines inside cells here). */
const rowsOf = (text: string) => text.replace(/^\ufeff/, '').trimEnd().split('\r\n').map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((c) => c !== '').map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"')));

describe('import: download of every rejected row (issue #19)', () => {
  it('gives all rejected rows with their original cells and the reasons in the desk’s language, guarded against formulas', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    const ctx = createTestContext(store);
    const lines = ['family_name,given_name,name_ko,email,affiliation'];
    lines.push('Kim,Minjun,김민준,minjun.kim@example.edu,MIT'); // row 2: fine
    lines.push(',,,nobody@example.edu,MIT'); // row 3: no name
    lines.push('Lee,Sora,이소라,not-an-email,=HYPERLINK("http://evil")'); // row 4: bad email, formula cell
    lines.push('Kim,Minjun,김민준,minjun.kim@example.edu,MIT'); // row 5: same as row 2
    // 600 more rejected rows: more than the 500 the on-screen report lists.
    for (let i = 0; i < 600; i++) lines.push(`Park,P${i},,bad-${i},+82 10`);
    const text = lines.join('\r\n') + '\r\n';
    const uploadId = '0195f0c0-0000-7000-8000-00000000cc01';
    await callApi(ctx, 'import:upload', { uploadId, fileName: '사전등록 명단.csv', index: 0, count: 1, data: Buffer.from(text).toString('base64') });
    const parsed = await callApi(ctx, 'import:parse', { uploadId });
    const report = await callApi(ctx, 'import:check', { uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(report.invalid).toBe(603);
    expect(report.issues).toHaveLength(500);

    const out = await callApi(ctx, 'import:rejectedRows', { uploadId, stopId: DEMO_STOP, mapping: parsed.mapping, labels: KO });
    expect(out.count).toBe(603);
    expect(out.fileName).toBe('rejected-rows_사전등록 명단.csv');
    expect(out.text.startsWith('\ufeff')).toBe(true);
    const rows = rowsOf(out.text);
    expect(rows[0]).toEqual(['family_name', 'given_name', 'name_ko', 'email', 'affiliation', '원본 행', '제외 사유']);
    expect(rows).toHaveLength(1 + 603);
    expect(rows[1]).toEqual(['', '', '', 'nobody@example.edu', 'MIT', '3', '이름 없음']);
    // The formula cell is kept as text (leading apostrophe), the Hangul as written.
    expect(rows[2]).toEqual(['Lee', 'Sora', '이소라', 'not-an-email', `'=HYPERLINK("http://evil")`, '4', '이메일 주소가 올바르지 않음']);
    expect(rows[3]).toEqual(['Kim', 'Minjun', '김민준', 'minjun.kim@example.edu', 'MIT', '5', '2행과 같은 사람']);
    expect(rows[603]).toEqual(['Park', 'P599', '', 'bad-599', `'+82 10`, '605', '이메일 주소가 올바르지 않음']);
    // Nothing was written by any of this.
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'registrations_imported'").get()).toEqual({ n: 0 });
  });
});

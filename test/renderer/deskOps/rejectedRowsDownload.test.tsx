import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importRunner } from '../../../core/import/importRunner';
import type { Store } from '../../../core/store/openStore';
import { CheckInScreen } from '../../../renderer/screens/CheckInScreen';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { getEmptyCheckinState, useCheckinStore } from '../../../renderer/state/checkinStore';
import { getEmptyImportState, useImportStore } from '../../../renderer/state/importStore';
import type { Stop } from '../../../shared/schemas/masterData';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const stores: Store[] = [];
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useImportStore.setState(getEmptyImportState());
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) {
    await importRunner(s).close();
    disposeTestStore(s);
  }
});

/** Catches the file the screen hands to the browser (a Blob URL and a clicked link). */
function catchDownloads(): { name: string; blob: Blob }[] {
  const got: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  URL.createObjectURL = (b: Blob | MediaSource) => {
    const url = `blob:test/${++n}`;
    blobs.set(url, b as Blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    got.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  return got;
}

describe('download of an import’s rejected rows (issue #19)', () => {
  it('gives every rejected row with its reason in Korean, as UTF-8 with BOM', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    const ctx = createTestContext(store);
    const stop = store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
    const downloads = catchDownloads();
    renderWithApp(<CheckInScreen stop={stop} />, { ctx, language: 'ko' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '사전 등록 가져오기' }));
    const dialog = await screen.findByRole('dialog', { name: '사전 등록 가져오기' });
    const csv = 'family_name,given_name,name_ko,email,affiliation\r\nHan,Yuri,한유리,yuri@cmu.edu,CMU\r\n,,,nobody@x.edu,MIT\r\n홍,길동,홍길동,not-mail,@SUM(A1)\r\n';
    await user.upload(dialog.querySelector('input[type="file"]') as HTMLInputElement, new File([csv], '명단.csv', { type: 'text/csv' }));
    await within(dialog).findByRole('table', { name: '처음 몇 행 미리 보기' }, { timeout: 5000 });
    await user.click(within(dialog).getByRole('button', { name: '행 확인하기' }));
    await user.click(await within(dialog).findByRole('button', { name: '제외된 2행 모두 내려받기 (CSV)' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.name).toBe('rejected-rows_명단.csv');
    // jsdom's Blob has no arrayBuffer(): read it as a page would.
    const bytes = await new Promise<Uint8Array>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
      r.readAsArrayBuffer(downloads[0]!.blob);
    });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text).toBe(
      [
        'family_name,given_name,name_ko,email,affiliation,원본 행 번호,제외 사유',
        ',,,nobody@x.edu,MIT,3,이름(영문 또는 한글)이 없음',
        `홍,길동,홍길동,not-mail,'@SUM(A1),4,${'이메일 주소가 올바르지 않음'}`,
        '',
      ].join('\r\n'),
    );
    // Nothing imported by the download.
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE name_ko = '한유리'").get()).toEqual({ n: 0 });
  });
});

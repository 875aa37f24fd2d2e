import { afterEach, describe, expect, it } from 'vitest';
import { importRunner } from '../../core/import/importRunner';
import type { Store } from '../../core/store/openStore';
import { CHUNK_BYTES, useImportStore } from '../../renderer/state/importStore';
import { renderWithApp } from './renderWithApp';
import { createTestContext, createTestStore, DEMO_STOP } from '../helpers/testStore';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) {
    await importRunner(s).close();
    s.close();
  }
});

describe('import upload from the renderer', () => {
  it('sends a file of several chunks (a Hangul character cut at a chunk edge) that the host reassembles exactly', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    const ctx = createTestContext(store);
    renderWithApp(<div />, { ctx });
    // ~2.5 chunks of UTF-8 where most characters are 3 bytes: chunk edges fall inside characters.
    const lines = ['family_name,given_name,name_ko,email,affiliation'];
    const rows = Math.ceil((2.5 * CHUNK_BYTES) / 130);
    for (let i = 0; i < rows; i++) lines.push(`Park,Jiwoo${i},박지우${i},jiwoo${i}@example.edu,"한국과학기술원 (KAIST), 대전 유성구 대학로 291 — 연구실 ${i}"`);
    const file = new File([lines.join('\r\n')], 'many.csv', { type: 'text/csv' });
    expect(file.size).toBeGreaterThan(2 * CHUNK_BYTES);

    // Names the dialog's stop, as the check-in screen does: the worker plans the suggested mapping meanwhile.
    await useImportStore.getState().uploadFile(file, DEMO_STOP);
    const s = useImportStore.getState();
    expect(s.error).toBeNull();
    expect(s.step).toBe('mapping');
    expect(s.parsed).toMatchObject({ rowCount: rows, encoding: 'utf-8' });
    await useImportStore.getState().check(DEMO_STOP);
    expect(useImportStore.getState().report).toMatchObject({ total: rows, valid: rows, invalid: 0 });
  }, 60_000);
});

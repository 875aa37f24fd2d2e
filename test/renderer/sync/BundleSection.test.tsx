import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBundle } from '../../../core/sync/bundle';
import { BundleSection } from '../../../renderer/screens/BundleSection';
import { getEmptyBundleState, useBundleStore } from '../../../renderer/state/bundleStore';
import { createTestContext } from '../../helpers/testStore';
import { createLaptop, eventCount, writeActivity } from '../../helpers/syncFixtures';
import { renderWithApp } from '../renderWithApp';

beforeEach(() => {
  useBundleStore.setState(getEmptyBundleState());
  URL.createObjectURL = vi.fn(() => 'blob:bundle');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.restoreAllMocks());

/** Mantine's FileInput is a labelled button over a hidden file input (the one a file is dropped on). */
const fileInput = () => document.querySelector<HTMLInputElement>('input[type=file]')!;
const fileOf = (bytes: Buffer, name = 'desk-a.rsbundle') => new File([new Uint8Array(bytes)], name, { type: 'application/gzip' });

describe('USB bundle on the Sync screen', () => {
  it('exports this laptop’s events and imports another laptop’s bundle with a report (English)', async () => {
    const here = createLaptop('desk-here');
    writeActivity(here, 1);
    const other = createLaptop('desk-a');
    writeActivity(other, 2);
    const user = userEvent.setup();
    renderWithApp(<BundleSection />, { ctx: createTestContext(here) });

    await user.click(screen.getByRole('button', { name: 'Export events HQ lacks' }));
    expect(await screen.findByText(/Saved roadshow-desk-here-1-5-.*: 5 events \(sequence 1–5\)\./)).toBeTruthy();
    expect(URL.createObjectURL).toHaveBeenCalled();

    const bytes = buildBundle(other).bytes;
    expect(screen.getByRole('button', { name: 'Bundle file' })).toBeTruthy();
    await user.upload(fileInput(), fileOf(bytes));
    await user.click(screen.getByRole('button', { name: 'Import bundle' }));
    expect(await screen.findByText('9 events in the bundle: 9 added, 0 already held, 0 rejected.')).toBeTruthy();
    expect(eventCount(here)).toBe(5 + 9);

    await user.click(screen.getByRole('button', { name: 'Import bundle' }));
    expect(await screen.findByText('9 events in the bundle: 0 added, 9 already held, 0 rejected.')).toBeTruthy();
    expect(screen.getByText('Nothing new: this laptop already held every event of the bundle.')).toBeTruthy();
  });

  it('explains a tampered bundle in Korean and imports nothing', async () => {
    const here = createLaptop('desk-here');
    const other = createLaptop('desk-a');
    writeActivity(other, 1);
    const outer = JSON.parse(gunzipSync(buildBundle(other).bytes).toString());
    outer.signed = outer.signed.replace('"Kim"', '"Lee"');
    const user = userEvent.setup();
    renderWithApp(<BundleSection />, { ctx: createTestContext(here), language: 'ko' });
    expect(screen.getByRole('button', { name: '묶음 파일' })).toBeTruthy();
    await user.upload(fileInput(), fileOf(gzipSync(JSON.stringify(outer))));
    await user.click(screen.getByRole('button', { name: '묶음 파일 가져오기' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('desk-a이(가) 만든 뒤에 내용이 바뀐 묶음입니다');
    await waitFor(() => expect(eventCount(here)).toBe(0));
  });
});

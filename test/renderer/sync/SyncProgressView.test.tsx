import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { progressPercent, SyncProgressView } from '../../../renderer/components/SyncProgressView';
import type { SyncProgress } from '../../../shared/ipc/syncContract';
import { renderWithApp } from '../renderWithApp';

const base: SyncProgress = { phase: 'push', sent: 0, toSend: 416, bytesSent: 0, bytesToSend: 31_400_000, received: 0, bytesReceived: 0, pullDone: 0, pullTotal: 0, etaSeconds: null, startedAt: '2025-10-01T00:00:00.000Z' };

describe('a running sync, as the Sync screen shows it', () => {
  it('never reads "0 of 0": the backup before the sync is named, then events and bytes with the time left', () => {
    const lineOf = (progress: SyncProgress | null): string => {
      const { container, unmount } = renderWithApp(<SyncProgressView progress={progress} />, { language: 'en' });
      const text = container.querySelector('[aria-live]')?.textContent ?? '';
      unmount();
      return text;
    };
    expect(lineOf(null)).toMatch(/^Preparing: a backup/);
    expect(lineOf({ ...base, phase: 'prepare' })).toMatch(/^Preparing: a backup/);
    expect(lineOf(base)).toBe('Sending to HQ: 0 of 416 events (0 kB of 31.4 MB) · estimating the time left');
    expect(lineOf({ ...base, sent: 208, bytesSent: 15_700_000, etaSeconds: 4 })).toBe('Sending to HQ: 208 of 416 events (15.7 MB of 31.4 MB) · about 4 seconds left');
    expect(lineOf({ ...base, phase: 'pull', sent: 416, bytesSent: 31_400_000, received: 1200, bytesReceived: 2_500_000, pullDone: 1000, pullTotal: 4000, etaSeconds: 150 })).toBe(
      'Receiving from HQ: 1,200 new events (2.5 MB), 25% read · about 3 minutes left',
    );
    expect(lineOf({ ...base, phase: 'verify' })).toBe('Checking that HQ holds every event of this laptop…');
  });

  it('speaks Korean', () => {
    renderWithApp(<SyncProgressView progress={{ ...base, sent: 208, bytesSent: 15_700_000, etaSeconds: 4 }} />, { language: 'ko' });
    expect(screen.getByText(/^본부로 보내는 중: 416건 중 208건 \(31\.4MB 중 15\.7MB\) · 약 4초 남음$/)).toBeInTheDocument();
  });

  it('moves the bar with the bytes sent, then with the pull', () => {
    expect(progressPercent(null)).toBe(2);
    const half = progressPercent({ ...base, bytesSent: base.bytesToSend / 2 });
    expect(half).toBeGreaterThan(progressPercent(base));
    expect(progressPercent({ ...base, phase: 'pull', pullDone: 1, pullTotal: 2 })).toBeGreaterThan(progressPercent({ ...base, bytesSent: base.bytesToSend }));
    expect(progressPercent({ ...base, phase: 'verify' })).toBe(97);
  });
});

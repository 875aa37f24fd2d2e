import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HubStatusBadge } from '../../../renderer/components/HubStatusBadge';
import type { HubStatus } from '../../../shared/ipc/hubContract';
import { renderWithApp } from '../renderWithApp';

const base: HubStatus = {
  hubUrl: 'https://192.168.1.20:8470',
  certFingerprint: null,
  enrolled: true,
  auto: true,
  online: true,
  running: false,
  unsynced: 0,
  receivedSinceStart: 0,
  logPosition: 1,
  lastSuccess: null,
  lastRun: null,
  upstream: null,
};

describe('header hub badge', () => {
  it('is absent while no hub is set up', () => {
    renderWithApp(<HubStatusBadge status={{ ...base, hubUrl: null }} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
  it('says online or offline, in English and Korean', () => {
    const { unmount } = renderWithApp(<HubStatusBadge status={base} />);
    expect(screen.getByRole('status', { name: 'Venue hub: Online' })).toHaveTextContent('Hub');
    unmount();
    renderWithApp(<HubStatusBadge status={{ ...base, online: false }} />, { language: 'ko' });
    expect(screen.getByRole('status', { name: '현장 허브: 오프라인' })).toHaveTextContent('허브');
  });
});

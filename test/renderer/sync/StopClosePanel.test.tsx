import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StopClosePanel } from '../../../renderer/components/StopClosePanel';
import type { StopCloseCheck } from '../../../shared/ipc/stopCloseContract';
import { renderWithApp } from '../renderWithApp';

const check: StopCloseCheck = {
  stopId: 'stop-x',
  at: 'hq',
  complete: false,
  desks: [
    { deviceId: 'desk-b', localCount: 13, localMaxSeq: 13, hqCount: 8, hqMaxSeq: 8, missing: 5, notPulledHere: 0, complete: false },
    { deviceId: 'desk-lead', localCount: 8, localMaxSeq: 8, hqCount: 8, hqMaxSeq: 8, missing: 0, notPulledHere: 0, complete: true },
  ],
};

describe('closing a stop', () => {
  it('runs the check for the current stop and lists the desk HQ lacks events of (English)', async () => {
    const onCheck = vi.fn();
    const first = renderWithApp(<StopClosePanel stopName="5-1 Chicago" busy={false} check={null} error={null} onCheck={onCheck} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check 5-1 Chicago at HQ' }));
    expect(onCheck).toHaveBeenCalledOnce();
    first.unmount();
    renderWithApp(<StopClosePanel stopName="5-1 Chicago" busy={false} check={check} error={null} onCheck={onCheck} />);
    expect(screen.getByRole('status').textContent).toContain('Some desks’ events are not at HQ yet');
    const rows = screen.getByRole('table', { name: 'Desks of this stop' }).querySelectorAll('tbody tr');
    expect(rows[0]!.textContent).toBe('desk-b13 events, up to no. 138 events, up to no. 8HQ lacks 5 events (no. 9–13)');
    expect(rows[1]!.textContent).toContain('Complete');
  });

  it('says it in Korean, and asks for a current stop first', () => {
    renderWithApp(<StopClosePanel stopName={null} busy={false} check={{ ...check, complete: true, desks: [check.desks[1]!] }} error={null} onCheck={() => undefined} />, { language: 'ko' });
    expect((screen.getByRole('button', { name: '먼저 현재 행사를 고르세요' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('본부가 모든 데스크의 이벤트를 갖고 있습니다');
  });
});

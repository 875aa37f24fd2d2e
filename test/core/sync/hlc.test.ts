import { describe, expect, it, vi } from 'vitest';
import { HybridLogicalClock, decodeHlc, encodeHlc } from '../../../core/sync/hlc';

describe('hybrid logical clock', () => {
  it('is monotonic even when the wall clock stands still or goes back', () => {
    let now = 1_000;
    const c = new HybridLogicalClock({ nodeId: 'a', now: () => now });
    const a = c.now();
    const b = c.now();
    now = 500;
    const d = c.now();
    expect(a < b && b < d).toBe(true);
    expect(decodeHlc(d).wallMs).toBe(1_000);
  });

  it('orders local events after a received remote one', () => {
    const c = new HybridLogicalClock({ nodeId: 'a', now: () => 1_000 });
    const remote = encodeHlc(5_000, 7, 'b');
    c.receive(remote);
    const next = c.now();
    expect(next > remote).toBe(true);
    expect(decodeHlc(next)).toMatchObject({ wallMs: 5_000, counter: 9, nodeId: 'a' });
  });

  it('reports a remote clock far ahead without refusing it', () => {
    const onDrift = vi.fn();
    const c = new HybridLogicalClock({ nodeId: 'a', now: () => 0, maxDriftMs: 1_000, onDrift });
    c.receive(encodeHlc(3 * 86_400_000, 0, 'b'));
    expect(onDrift).toHaveBeenCalledOnce();
    expect(decodeHlc(c.now()).wallMs).toBe(3 * 86_400_000);
  });

  it('sorts as strings in clock order', () => {
    expect(encodeHlc(9, 0, 'z') < encodeHlc(10, 0, 'a')).toBe(true);
    expect(encodeHlc(10, 2, 'a') < encodeHlc(10, 10, 'a')).toBe(true);
  });

  it('carries into the next millisecond when the counter is full', () => {
    const c = new HybridLogicalClock({ nodeId: 'a', now: () => 7, initial: { wallMs: 7, counter: 99_999 } });
    expect(decodeHlc(c.now())).toMatchObject({ wallMs: 8, counter: 0 });
  });
});

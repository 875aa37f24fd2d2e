import { describe, expect, it } from 'vitest';
import { WedgeDetector, wedgeChar } from '../../../renderer/scanner/wedgeDetector';

const feed = (d: WedgeDetector, text: string, gapMs: number, start = 1000) => {
  let t = start;
  for (const ch of text) {
    expect(d.key({ key: ch, code: '', shiftKey: false, time: t })).toBeNull();
    t += gapMs;
  }
  return d.key({ key: 'Enter', code: 'Enter', shiftKey: false, time: t });
};

describe('WedgeDetector', () => {
  it('recognises a fast burst ending in Enter', () => {
    expect(feed(new WedgeDetector(), 'RS-7K2QH9MX4TB3', 8)).toBe('RS-7K2QH9MX4TB3');
  });
  it('ignores a person typing at human speed', () => {
    expect(feed(new WedgeDetector(), 'RS-7K2QH9MX4TB3', 120)).toBeNull();
  });
  it('ignores short bursts and a pause before Enter', () => {
    expect(feed(new WedgeDetector(), 'abc', 5)).toBeNull();
    const d = new WedgeDetector();
    for (const [i, ch] of [...'RS-12345678'].entries()) d.key({ key: ch, code: '', shiftKey: false, time: i * 5 });
    expect(d.key({ key: 'Enter', code: 'Enter', shiftKey: false, time: 2000 })).toBeNull();
  });
  it('starts over after a long gap, so earlier typing does not join the scan', () => {
    const d = new WedgeDetector();
    d.key({ key: 'x', code: 'KeyX', shiftKey: false, time: 0 });
    expect(feed(d, 'RS-ABCDEF12', 5, 5000)).toBe('RS-ABCDEF12');
  });
  it('reads the physical keys when a Korean IME turns them into jamo', () => {
    expect(wedgeChar({ key: 'ㄱ', code: 'KeyR', shiftKey: true })).toBe('R');
    expect(wedgeChar({ key: 'Process', code: 'Digit7', shiftKey: false })).toBe('7');
    expect(wedgeChar({ key: 'Process', code: 'Minus', shiftKey: false })).toBe('-');
    expect(wedgeChar({ key: 'Shift', code: 'ShiftLeft', shiftKey: true })).toBeNull();
  });
});

describe('WedgeDetector on a busy machine', () => {
  it('still recognises a burst with a few scheduling hiccups inside', () => {
    const d = new WedgeDetector();
    const gaps = [5, 6, 180, 4, 5, 7, 5, 250, 6, 5, 4, 5, 6, 5];
    let t = 0;
    for (const [i, ch] of [...'RS-7K2QH9MX4TB3'].entries()) {
      d.key({ key: ch, code: '', shiftKey: false, time: t });
      t += gaps[i] ?? 5;
    }
    expect(d.key({ key: 'Enter', code: 'Enter', shiftKey: false, time: t })).toBe('RS-7K2QH9MX4TB3');
  });
});

/** Confirmation sounds made with WebAudio (no audio files, works offline). */
export type BeepKind = 'ok' | 'warn' | 'error';

let ctx: AudioContext | null = null;

const TONES: Record<BeepKind, [number, number][]> = {
  // [frequency Hz, duration ms] played one after another
  ok: [
    [880, 90],
    [1320, 120],
  ],
  warn: [
    [520, 160],
    [520, 160],
  ],
  error: [[220, 380]],
};

export function beep(kind: BeepKind): void {
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    ctx ??= new Ctor();
    let t = ctx.currentTime;
    for (const [freq, ms] of TONES[kind]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = kind === 'error' ? 'square' : 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + ms / 1000);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + ms / 1000 + 0.02);
      t += ms / 1000 + 0.04;
    }
  } catch {
    // No audio device: the visual confirmation is enough.
  }
}

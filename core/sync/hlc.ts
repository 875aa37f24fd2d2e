/**
 * Hybrid logical clock (Kulkarni et al.): wall milliseconds + counter + node id, encoded so that
 * string order is clock order. Time and node id are injected (STYLE habit 11), never read globally.
 * A clock that runs ahead of ours is followed (that is what makes the order causal) but reported
 * through `onDrift`, so the app can flag a laptop with a wrong clock without refusing its events.
 */
export interface HlcState {
  wallMs: number;
  counter: number;
}

export interface HlcOptions {
  nodeId: string;
  now: () => number;
  /** Remote clocks further ahead than this are reported. */
  maxDriftMs?: number;
  onDrift?: (remoteWallMs: number, localWallMs: number) => void;
  initial?: HlcState;
}

const MAX_COUNTER = 99_999;

export function encodeHlc(wallMs: number, counter: number, nodeId: string): string {
  return `${String(wallMs).padStart(15, '0')}:${String(counter).padStart(5, '0')}:${nodeId}`;
}

export function decodeHlc(hlc: string): { wallMs: number; counter: number; nodeId: string } {
  const first = hlc.indexOf(':');
  const second = hlc.indexOf(':', first + 1);
  return {
    wallMs: Number(hlc.slice(0, first)),
    counter: Number(hlc.slice(first + 1, second)),
    nodeId: hlc.slice(second + 1),
  };
}

export class HybridLogicalClock {
  private state: HlcState;
  private readonly opts: HlcOptions;

  constructor(opts: HlcOptions) {
    this.opts = opts;
    this.state = opts.initial ?? { wallMs: 0, counter: 0 };
  }

  /** A timestamp for a local event. */
  now(): string {
    const phys = this.opts.now();
    if (phys > this.state.wallMs) this.state = { wallMs: phys, counter: 0 };
    else this.bump(this.state.wallMs);
    return encodeHlc(this.state.wallMs, this.state.counter, this.opts.nodeId);
  }

  /** Merge a remote timestamp so later local events sort after it. */
  receive(remote: string): void {
    const r = decodeHlc(remote);
    const phys = this.opts.now();
    const maxDrift = this.opts.maxDriftMs ?? 5 * 60_000;
    if (r.wallMs - phys > maxDrift) this.opts.onDrift?.(r.wallMs, phys);
    const wall = Math.max(this.state.wallMs, r.wallMs, phys);
    if (wall === this.state.wallMs && wall === r.wallMs) this.bump(wall, Math.max(this.state.counter, r.counter));
    else if (wall === this.state.wallMs) this.bump(wall);
    else if (wall === r.wallMs) this.bump(wall, r.counter);
    else this.state = { wallMs: wall, counter: 0 };
  }

  snapshot(): HlcState {
    return { ...this.state };
  }

  private bump(wall: number, from = this.state.counter): void {
    if (from >= MAX_COUNTER) this.state = { wallMs: wall + 1, counter: 0 };
    else this.state = { wallMs: wall, counter: from + 1 };
  }
}

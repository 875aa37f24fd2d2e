import type { ImportPhase } from '../../shared/ipc/importProgressContract';

const PHASES: readonly ImportPhase[] = ['idle', 'reading', 'checking', 'writing', 'saving'];

/**
 * How far the running step of an import is, in memory shared by the host and both import threads
 * (`SharedArrayBuffer`): the session and the writer count rows as they go, and the host reads the
 * counts for the desk's progress bar (`import:progress`) without asking a thread that is busy with
 * a synchronous loop. Three integers: phase, rows done, rows in all (0: not known yet).
 */
export class ImportProgress {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  /** A new phase, nothing done yet. */
  start(phase: ImportPhase, total: number): void {
    Atomics.store(this.cells, 1, 0);
    Atomics.store(this.cells, 2, Math.max(0, Math.min(total, 0x7fffffff)));
    Atomics.store(this.cells, 0, PHASES.indexOf(phase));
  }

  /** The phase goes on with this many done. */
  set(done: number): void {
    Atomics.store(this.cells, 1, Math.min(done, 0x7fffffff));
  }

  add(n: number): void {
    Atomics.add(this.cells, 1, n);
  }

  /** The same phase (a total learnt later). */
  total(total: number): void {
    Atomics.store(this.cells, 2, Math.max(0, Math.min(total, 0x7fffffff)));
  }

  phase(phase: ImportPhase): void {
    Atomics.store(this.cells, 0, PHASES.indexOf(phase));
  }

  read(): { phase: ImportPhase; done: number; total: number } {
    return { phase: PHASES[Atomics.load(this.cells, 0)] ?? 'idle', done: Atomics.load(this.cells, 1), total: Atomics.load(this.cells, 2) };
  }
}

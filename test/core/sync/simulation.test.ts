import fc from 'fast-check';
import { rowToEnvelope, type StoredEventRow } from '../../../core/store/eventStore';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import { createSyncQueries } from '../../../core/store/queries/syncQueries';
import { NetworkError, type HqTransport } from '../../../core/sync/hqTransport';
import { SyncClient } from '../../../core/sync/syncClient';
import { importEvents } from '../../../hq/server/importEvents';
import { AppError } from '../../../shared/errors';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION } from '../../../shared/events/eventTypes';
import { encodeHlc } from '../../../core/sync/hlc';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { tempDir } from '../../helpers/testStore';

/**
 * The deterministic simulation of docs/sync.md: 3–10 laptops and HQ on real SQLite files, a
 * network that drops requests and answers, duplicates and replays stale requests, partitions, and
 * crashes at the fail points (after HQ commits but before it answers = a dropped answer; after
 * the laptop applies a pull but before it stores the cursor; after HQ acknowledged a push but
 * before the laptop stored it). Then the network heals and every invariant is checked.
 *
 * Replay a failure: SIM_SEED=<seed> SIM_PATH=<path> npx vitest run test/core/sync/simulation.test.ts
 * More runs: SIM_RUNS=200.
 */

type Fault = 'none' | 'dropRequest' | 'dropResponse' | 'duplicate' | 'replayStale' | 'crashAfterAck' | 'crashAfterApply';
type Op =
  | { kind: 'write'; laptop: number; n: number }
  | { kind: 'checkInShared'; laptop: number; reg: number }
  | { kind: 'sync'; laptop: number; fault: Fault; at: number }
  | { kind: 'partition'; laptop: number; cut: boolean }
  | { kind: 'restart'; laptop: number };

const STOP = 'stop-05-chicago';
const SHARED_REGS = 4;

const scenario = fc.integer({ min: 3, max: 10 }).chain((laptops) =>
  fc.record({
    laptops: fc.constant(laptops),
    ops: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), laptop: fc.nat(laptops - 1), n: fc.integer({ min: 1, max: 4 }) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('checkInShared' as const), laptop: fc.nat(laptops - 1), reg: fc.nat(SHARED_REGS - 1) }) },
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('sync' as const),
            laptop: fc.nat(laptops - 1),
            fault: fc.constantFrom<Fault>('none', 'none', 'dropRequest', 'dropResponse', 'duplicate', 'replayStale', 'crashAfterAck', 'crashAfterApply'),
            at: fc.nat(4),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), laptop: fc.nat(laptops - 1), cut: fc.boolean() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), laptop: fc.nat(laptops - 1) }) },
      ),
      { minLength: 5, maxLength: 35 },
    ),
  }),
);

class Crash extends Error {}

/** One laptop's link to HQ, with the faults the scenario asks for. */
class SimLink implements HqTransport {
  cut = false;
  fault: { kind: Fault; at: number } | null = null;
  private count = 0;
  private readonly sent: [Parameters<HqTransport['request']>][] = [];
  constructor(private readonly hq: HqTransport) {}

  arm(kind: Fault, at: number) {
    this.fault = { kind, at };
    this.count = 0;
  }

  async request(...args: Parameters<HqTransport['request']>) {
    const i = this.count++;
    if (this.cut) throw new NetworkError('partitioned');
    const f = this.fault && this.fault.at === i ? this.fault.kind : 'none';
    const stale = this.sent[Math.floor(this.sent.length / 2)];
    this.sent.push([args]);
    if (this.sent.length > 50) this.sent.shift();
    switch (f) {
      case 'dropRequest':
        throw new NetworkError('request lost');
      case 'dropResponse':
        await this.hq.request(...args); // HQ commits, the answer never arrives
        throw new NetworkError('answer lost');
      case 'duplicate':
        await this.hq.request(...args);
        return this.hq.request(...args);
      case 'replayStale':
        // An old request, delayed in the network, arrives before this one.
        if (stale) await this.hq.request(...stale[0]);
        return this.hq.request(...args);
      default:
        return this.hq.request(...args);
    }
  }
}

interface Laptop {
  id: string;
  file: string;
  store: Store;
  link: SimLink;
  token: string;
  maxAcked: number;
  maxCursor: bigint;
}

async function runScenario(s: { laptops: number; ops: Op[] }): Promise<void> {
  let clock = Date.parse('2025-12-05T14:00:00Z');
  const now = () => clock;
  const hq = await createTestHq('sqlite', { now });
  const dir = tempDir('roadshow-sim-');
  try {
    // HQ master data: registrations several desks may check in (the conflicts).
    const shared = seedShared(clock);
    await importEvents(hq.storage, shared.events);
    const laptops: Laptop[] = [];
    for (let i = 0; i < s.laptops; i++) {
      const id = `sim-${i}`;
      const file = path.join(dir, `${id}.sqlite`);
      laptops.push({ id, file, store: openStore(file, { deviceId: id, now }), link: new SimLink(hq.transport), token: await hq.enroll(id), maxAcked: 0, maxCursor: 0n });
    }
    const checkInsWritten = new Map<string, number>();

    const restart = (l: Laptop) => {
      l.store.close();
      l.store = openStore(l.file, { deviceId: l.id, now });
    };

    const checkMonotonic = async (l: Laptop) => {
      const q = createSyncQueries(l.store.db);
      const acked = q.ackedSeq();
      const cursor = BigInt(q.pullCursor());
      expect(acked, `${l.id} acked went back`).toBeGreaterThanOrEqual(l.maxAcked);
      expect(cursor >= l.maxCursor, `${l.id} cursor went back`).toBe(true);
      l.maxAcked = acked;
      l.maxCursor = cursor;
      // Never believes HQ holds more than it does (resumable without loss).
      const atHq = (await hq.storage.digest(l.id))[0]?.maxSeq ?? 0;
      expect(acked, `${l.id} acked beyond HQ`).toBeLessThanOrEqual(atHq);
    };

    for (const op of s.ops) {
      clock += 1000;
      const l = laptops[op.laptop]!;
      switch (op.kind) {
        case 'write':
          writeSome(l.store, op.n);
          break;
        case 'checkInShared': {
          const reg = shared.registrations[op.reg]!;
          l.store.events.append('checked_in', { registrationId: reg.registrationId, attendeeId: reg.attendeeId, stopId: STOP, desk: l.id }, { stopId: STOP });
          checkInsWritten.set(reg.registrationId, (checkInsWritten.get(reg.registrationId) ?? 0) + 1);
          break;
        }
        case 'partition':
          l.link.cut = op.cut;
          break;
        case 'restart':
          restart(l);
          break;
        case 'sync': {
          l.link.arm(op.fault, op.at);
          let crashes = 0;
          const client = new SyncClient(l.store, l.link, l.token, {
            batchEvents: 7,
            pullLimit: 9,
            failPoints: {
              afterAckBeforeStore: () => {
                if (op.fault === 'crashAfterAck' && crashes++ === op.at % 2) throw new Crash('crash after ack');
              },
              afterApplyBeforeCursor: () => {
                if (op.fault === 'crashAfterApply' && crashes++ === op.at % 2) throw new Crash('crash after apply');
              },
            },
          });
          try {
            await client.sync();
          } catch (err) {
            if (err instanceof Crash) restart(l);
            else if (!(err instanceof AppError && err.code === 'SYNC_OFFLINE')) throw err;
          }
          l.link.fault = null;
          break;
        }
      }
      await checkMonotonic(l);
    }

    // Heal: no partitions, no faults; two rounds so everyone gets what the others pushed.
    for (const l of laptops) l.link.cut = false;
    for (let round = 0; round < 2; round++) for (const l of laptops) await new SyncClient(l.store, l.link, l.token, { batchEvents: 50 }).sync();
    await hq.projections.catchUp();

    // 1. Nothing lost: HQ holds exactly every laptop's own log (count, last sequence, hash chain).
    for (const l of laptops) {
      const d = await new SyncClient(l.store, l.link, l.token).digestCheck();
      expect(d, `${l.id} digest`).toMatchObject({ ok: true });
      await checkMonotonic(l);
    }
    // 2. Nothing doubled: every node holds each event exactly once.
    const total = shared.events.length + laptops.reduce((n, l) => n + createSyncQueries(l.store.db).ownCount(l.id), 0);
    const hqCount = (await hq.storage.digest()).reduce((n, d) => n + d.count, 0);
    expect(hqCount).toBe(total);
    for (const l of laptops) {
      const row = l.store.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM events').get() as { n: number; d: number };
      expect(row, l.id).toEqual({ n: total, d: total });
    }
    // 3. Convergence: the same projections everywhere, equal to folding all events at once.
    const reference = openStore(':memory:', { deviceId: 'reference' });
    reference.events.ingest(laptops[0]!.store.db.prepare('SELECT * FROM events ORDER BY hlc').all().map((r) => rowToEnvelope(r as StoredEventRow)));
    const expected = reference.events.projectionHash();
    reference.close();
    expect(hq.store.events.projectionHash(), 'HQ').toBe(expected);
    for (const l of laptops) expect(l.store.events.projectionHash(), l.id).toBe(expected);
    // 4. Conflicts surfaced: every desk's check-in of a shared registration is kept on every node.
    for (const l of laptops) {
      for (const [reg, n] of checkInsWritten) {
        const kept = (l.store.db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?').get(reg) as { n: number }).n;
        expect(kept, `${l.id} check-ins of ${reg}`).toBe(n);
      }
    }
    for (const l of laptops) l.store.close();
  } finally {
    await hq.close();
  }
}


function writeSome(store: Store, n: number): void {
  store.events.transaction(() => {
    for (let i = 0; i < n; i++) {
      const attendeeId = randomUUID();
      const registrationId = randomUUID();
      store.events.append('attendee_registered', { attendeeId, familyName: 'Park', givenName: `W${i}`, nameKo: '박서연', email: '', affiliation: 'UIUC', careerStage: 'student', fields: ['quantum'] }, { stopId: STOP });
      store.events.append('registration_created', { registrationId, attendeeId, stopId: STOP, source: 'walk_in', scanToken: `RS-${registrationId.slice(0, 8)}` }, { stopId: STOP });
      store.events.append('checked_in', { registrationId, attendeeId, stopId: STOP, desk: store.deviceId }, { stopId: STOP });
    }
  });
}

function seedShared(at: number): { events: EventEnvelope[]; registrations: { registrationId: string; attendeeId: string }[] } {
  const events: EventEnvelope[] = [];
  const registrations: { registrationId: string; attendeeId: string }[] = [];
  let seq = 0;
  const emit = (type: string, payload: Record<string, unknown>) => {
    seq++;
    events.push({ eventId: randomUUID(), deviceId: 'hq-master', deviceSeq: seq, hlc: encodeHlc(at - 86_400_000 + seq, 0, 'hq-master'), type, schemaVersion: CURRENT_SCHEMA_VERSION, actorId: null, stopId: STOP, recordedAt: new Date(at - 86_400_000).toISOString(), payload });
  };
  for (let i = 0; i < SHARED_REGS; i++) {
    const attendeeId = randomUUID();
    const registrationId = randomUUID();
    registrations.push({ registrationId, attendeeId });
    emit('attendee_registered', { attendeeId, familyName: 'Lee', givenName: `Pre${i}`, nameKo: '이지은', email: `pre${i}@purdue.edu`, affiliation: 'Purdue', careerStage: 'postdoc', fields: ['ai'] });
    emit('registration_created', { registrationId, attendeeId, stopId: STOP, source: 'preregistered', scanToken: `RS-PRE${i}` });
  }
  return { events, registrations };
}

describe('sync simulation', () => {
  it('keeps every invariant under drops, duplicates, stale replays, partitions and crashes', async () => {
    const seed = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : 20251205;
    const numRuns = process.env.SIM_RUNS ? Number(process.env.SIM_RUNS) : 12;
    const result = await fc.check(fc.asyncProperty(scenario, runScenario), { seed, numRuns, path: process.env.SIM_PATH, endOnFailure: false });
    if (result.failed) {
      throw new Error(
        `Sync simulation failed (${result.numRuns} runs): ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n` +
          `Counterexample: ${JSON.stringify(result.counterexample)}\n` +
          `Replay: SIM_SEED=${result.seed} SIM_PATH=${result.counterexamplePath ?? ''} npx vitest run test/core/sync/simulation.test.ts`,
      );
    }
  }, 600_000);
});

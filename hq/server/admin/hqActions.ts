import { dispatch } from '../../../core/api/dispatch';
import type { Store } from '../../../core/store/openStore';
import { buildBundle, type BuiltBundle } from '../../../core/sync/bundle';
import type { ApiInput, ApiOutput, Channel } from '../../../shared/contract';
import type { EventPayloadInput, EventType } from '../../../shared/events/eventTypes';
import type { Result } from '../../../shared/result';
import { followFoldClock } from '../hqFold';
import { importEvents } from '../importEvents';
import type { HqStorage } from '../storage';

/**
 * How HQ decides: a dashboard action runs the very handler a laptop would run (core/api dispatch)
 * on HQ's projection store, so it becomes ordinary events of the device `hq`; those are then
 * stored like a push (importEvents: contiguous, idempotent) and reach every laptop by pull.
 * If HQ stops between the two steps, the next action (or start) pushes what is missing.
 */
export class HqActions {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly storage: HqStorage,
    private readonly dataDir: string,
  ) {}

  async call<C extends Channel>(channel: C, input: ApiInput<C>, actorId: string): Promise<Result<ApiOutput<C>>> {
    return this.serial(async () => {
      const r = (await dispatch(channel, input, { store: this.store, mode: 'browser', dataDir: this.dataDir, version: 'hq', actorId })) as Result<ApiOutput<C>>;
      await this.publish();
      return r;
    });
  }

  async append<T extends EventType>(type: T, payload: EventPayloadInput<T>, actorId: string | null): Promise<void> {
    return this.serial(async () => {
      this.store.events.append(type, payload, { actorId });
      await this.publish();
    });
  }

  /**
   * HQ's own events (the tour it planned, its decisions) as a signed USB bundle, for a desk that cannot
   * reach HQ or a hub: the desk imports it under Sync → USB bundle like any other laptop's bundle.
   */
  async tourBundle(now = new Date()): Promise<BuiltBundle> {
    return this.serial(async () => {
      const built = buildBundle(this.store, { scope: 'all', now });
      // The first bundle publishes HQ's signing key as an event: stored like every other HQ event.
      await this.publish();
      return built;
    });
  }

  /** Stores HQ's own events that the event storage does not hold yet. */
  async publish(): Promise<number> {
    const deviceId = this.store.deviceId;
    const held = (await this.storage.digest(deviceId))[0]?.maxSeq ?? 0;
    const events = this.store.events.eventsOfDevice(deviceId, held, 100_000);
    if (events.length === 0) return 0;
    const report = await importEvents(this.storage, events);
    if (report.refused.length > 0) throw new Error(`HQ could not store its own events: ${report.refused.map((r) => r.reason).join('; ')}`);
    return report.added;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // HQ's clock first follows what its projections folded (the fold runs on its own thread), so a
    // decision sorts after every event the admin could see.
    const run = () => {
      followFoldClock(this.store);
      return fn();
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

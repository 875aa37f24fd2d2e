/**
 * A sliding-window request count per key (a client address, a link): the self-booking pages are
 * public, so each address gets a budget of requests and each link a budget of actions; past it the
 * caller waits (429 with Retry-After) until the oldest request in the window ages out. Memory stays
 * bounded: keys whose window emptied are dropped, and at most `maxKeys` are kept (oldest first out).
 */
export interface Budget {
  max: number;
  windowMs: number;
}

export class RequestBudget {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly budget: Budget,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one request of `key`; answers 0 when it may go ahead, else the milliseconds to wait. */
  take(key: string, now: number): number {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.budget.windowMs);
    if (recent.length >= this.budget.max) {
      this.hits.set(key, recent);
      return Math.max(1, recent[0]! + this.budget.windowMs - now);
    }
    recent.push(now);
    this.hits.delete(key); // re-inserted last: the map's order is the keys' last use
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return 0;
  }
}

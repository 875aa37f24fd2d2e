import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { effectiveConsent, consentCovers } from '../../../core/domain/consentFilter';
import { openStore, type Store } from '../../../core/store/openStore';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import { AppError } from '../../../shared/errors';
import type { LeadOutcome, LeadOutcomeEntry } from '../../../shared/schemas/programs';
import { HQ_LEADS_DEVICE_ID } from '../../../shared/sync/hqProtocol';
import type { ConsentScope } from '../../../shared/vocab';
import { encodeHlc } from '../../../core/sync/hlc';
import { followFoldClock } from '../hqFold';
import { importEvents } from '../importEvents';
import type { HqStorage } from '../storage';

export const LEADS_STORE_FILE = 'hq-leads.sqlite';

/** What an outcome is about, as the portal (or an HQ admin) gives it; the id is made here. */
export type OutcomeInput = Omit<LeadOutcome, 'outcomeId'>;

/**
 * Where institutions' follow-up outcomes are written (issue #21). They are events of the device
 * `HQ_LEADS_DEVICE_ID`, kept first in a store of their own (`hq-leads.sqlite`: durable the moment `record`
 * returns) and then stored in HQ's log like a push; HQ's fold projects them into `lead_outcomes` of the
 * projection store, where the portal and the dashboard read them. The pull never hands them to a desk.
 *
 * The checks read HQ's projection store: the person, the institution and the programme exist, and the person's
 * effective consent (latest by HLC over every record of their merged group) lets the institution hold the lead.
 */
export class LeadOutcomes {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly leads: Store,
    private readonly projections: Store,
    private readonly storage: HqStorage,
    /** Folds HQ's log into its projections (HqProjections.catchUp): `record` answers once the outcome reads back. */
    private readonly catchUp: () => Promise<unknown> = async () => undefined,
  ) {}

  static open(opts: { dataDir: string; key?: Buffer | undefined; projections: Store; storage: HqStorage; catchUp?: () => Promise<unknown> }): LeadOutcomes {
    const leads = openStore(path.join(opts.dataDir, LEADS_STORE_FILE), { deviceId: HQ_LEADS_DEVICE_ID, key: opts.key });
    return new LeadOutcomes(leads, opts.projections, opts.storage, opts.catchUp);
  }

  /** Records one outcome; answers it as read back once HQ's projections hold it. */
  async record(input: OutcomeInput, actorId: string): Promise<{ outcomeId: string }> {
    return this.serial(async () => {
      this.check(input);
      const outcomeId = randomUUID();
      this.followClock();
      this.leads.events.append('lead_outcome_recorded', { ...input, outcomeId }, { actorId });
      await this.publish();
      await this.catchUp();
      return { outcomeId };
    });
  }

  /** Takes back a mistaken outcome of `institutionId` (another institution's outcome is NOT_FOUND). */
  async retract(outcomeId: string, institutionId: string, reason: string, actorId: string): Promise<void> {
    return this.serial(async () => {
      // Only this store writes outcomes, so its own tables know every one at once.
      const held = createProgramQueries(this.leads.db).outcome(outcomeId);
      if (!held || held.institutionId !== institutionId) throw new AppError('NOT_FOUND', 'No such outcome', { outcomeId });
      if (held.retracted) return;
      this.followClock();
      this.leads.events.append('lead_outcome_retracted', { outcomeId, reason }, { actorId });
      await this.publish();
      await this.catchUp();
    });
  }

  /** A lead's outcomes at one institution across every record of the person, oldest first. */
  history(institutionId: string, attendeeId: string): LeadOutcomeEntry[] {
    return createProgramQueries(this.projections.db).outcomesOf(institutionId, this.groupOf(attendeeId));
  }

  /** Whether the person's effective consent lets `institutionId` hold them as a lead. */
  consentAllows(attendeeId: string, institutionId: string): boolean {
    const group = this.groupOf(attendeeId);
    const rows = this.projections.db
      .prepare<string[], { scope: ConsentScope; institution_id: string | null; hlc: string }>(
        `SELECT scope, institution_id, hlc FROM consents WHERE attendee_id IN (${group.map(() => '?').join(',')})`,
      )
      .all(...group);
    return consentCovers(effectiveConsent(rows.map((r) => ({ scope: r.scope, institutionId: r.institution_id, hlc: r.hlc }))), institutionId);
  }

  /** Stores the outcomes HQ's log does not hold yet (after a crash between the two steps, at start). */
  async publish(): Promise<number> {
    const held = (await this.storage.digest(HQ_LEADS_DEVICE_ID))[0]?.maxSeq ?? 0;
    const events = this.leads.events.eventsOfDevice(HQ_LEADS_DEVICE_ID, held, 100_000);
    if (events.length === 0) return 0;
    const report = await importEvents(this.storage, events);
    if (report.refused.length > 0) throw new Error(`HQ could not store its lead outcomes: ${report.refused.map((r) => r.reason).join('; ')}`);
    return report.added;
  }

  close(): void {
    this.leads.close();
  }

  private check(input: OutcomeInput): void {
    const db = this.projections.db;
    const attendee = db.prepare<[string], { id: string }>('SELECT id FROM attendees WHERE id = ?').get(input.attendeeId);
    if (!attendee) throw new AppError('NOT_FOUND', 'No such person', { attendeeId: input.attendeeId });
    if (!createMasterDataQueries(db).institution(input.institutionId)) throw new AppError('NOT_FOUND', 'No such institution', { institutionId: input.institutionId });
    if (input.programId !== null) {
      const program = createProgramQueries(db).get(input.programId);
      if (!program || (program.institutionId !== null && program.institutionId !== input.institutionId)) {
        throw new AppError('VALIDATION', 'This programme is not one of the institution’s', { issues: [{ path: 'programId', message: 'not the institution’s programme', code: 'custom' }] });
      }
    }
    if (!this.consentAllows(input.attendeeId, input.institutionId)) {
      throw new AppError('CONSENT_REQUIRED', 'The person has not agreed to share their details with this institution', { attendeeId: input.attendeeId });
    }
  }

  /** Every record of the person's merged group (the record itself when never merged). */
  private groupOf(attendeeId: string): string[] {
    const db = this.projections.db;
    const canonical = db.prepare<[string], { canonical_id: string }>('SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ?').get(attendeeId)?.canonical_id ?? attendeeId;
    const members = db.prepare<[string], { attendee_id: string }>('SELECT attendee_id FROM attendee_canonical WHERE canonical_id = ?').all(canonical).map((r) => r.attendee_id);
    return [...new Set([canonical, attendeeId, ...members])];
  }

  /** An outcome sorts after everything HQ's projections had folded when it was recorded. */
  private followClock(): void {
    const hlc = this.projections.clock.snapshot();
    followFoldClock({ db: this.projections.db, clock: this.leads.clock });
    this.leads.clock.receive(encodeHlc(hlc.wallMs, hlc.counter, this.projections.deviceId));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

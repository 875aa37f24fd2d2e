import nodemailer from 'nodemailer';
import type { Store } from '../../../core/store/openStore';
import type { Language } from '../../../shared/vocab';
import type { HqActions } from '../admin/hqActions';
import { LinkSigner, type LinkClaims } from '../links/signedLinks';
import { MailOutbox, outboxFile, type MessageStatus } from './outbox';
import { MailPlanner, type PlanReport } from './planner';
import { MailSender, type MailTransport, type TickReport } from './sender';

export interface MailConfig {
  /** smtp(s)://user:pass@host:port; unset: sending is off, messages are queued. */
  smtpUrl?: string | undefined;
  /** The From of every message ("Roadshow <roadshow@example.org>"). */
  from: string;
  /** HQ's public address for the links (no trailing slash). */
  publicUrl: string;
  ratePerMinute: number;
  reminderMinutes: number;
  thanksDays: number;
  /** How often the planner and the sender run (ms). */
  planEveryMs: number;
  sendEveryMs: number;
}

export const MAIL_DEFAULTS = { ratePerMinute: 60, reminderMinutes: 120, thanksDays: 14, planEveryMs: 60_000, sendEveryMs: 5_000 } as const;

export interface MailServiceDeps {
  dataDir: string;
  /** HQ's projection store (read by the planner; unsubscribes and language choices are appended to it). */
  store: Store;
  /** How HQ writes its own events (stored like a push, so desks pull them). */
  actions: HqActions;
  config: MailConfig;
  /** The outbox file's SQLCipher key, when HQ's folder is encrypted. */
  key?: Buffer | undefined;
  now?: () => number;
  /** A transport instead of the SMTP URL's (tests). */
  transport?: MailTransport | null;
  signer?: LinkSigner;
}

export interface SendingState {
  enabled: boolean;
  ratePerMinute: number;
  /** The SMTP server without its password ("smtp://user@host:587"). */
  server: string | null;
  from: string;
  counts: Record<MessageStatus, number>;
}

export type LinkResult = { ok: true; claims: LinkClaims } | { ok: false; reason: string };

/** The SMTP URL with its password hidden (for the dashboard and the start banner). */
export function redactSmtp(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(SMTP URL)';
  }
}

/**
 * Attendee messages at HQ (issue #21, docs/messages.md): the outbox, the planner (reads HQ's
 * projections) and the sender (SMTP through nodemailer), each on a timer of its own, never on a sync
 * request's path; and the unsubscribe and language choices the links in the messages lead to.
 */
export class MailService {
  readonly outbox: MailOutbox;
  readonly planner: MailPlanner;
  readonly sender: MailSender;
  readonly signer: LinkSigner;
  readonly config: MailConfig;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private planning: Promise<PlanReport> | null = null;
  private transport: MailTransport | null;

  constructor(private readonly deps: MailServiceDeps) {
    this.config = deps.config;
    this.now = deps.now ?? Date.now;
    this.signer = deps.signer ?? LinkSigner.forDataDir(deps.dataDir);
    this.outbox = new MailOutbox(outboxFile(deps.dataDir), { key: deps.key });
    this.planner = new MailPlanner(deps.store.db, this.outbox, {
      signer: this.signer,
      publicUrl: deps.config.publicUrl.replace(/\/+$/, ''),
      now: this.now,
      reminderMinutes: deps.config.reminderMinutes,
      thanksDays: deps.config.thanksDays,
    });
    this.transport = deps.transport !== undefined ? deps.transport : deps.config.smtpUrl ? (nodemailer.createTransport(deps.config.smtpUrl) as unknown as MailTransport) : null;
    this.sender = new MailSender(this.outbox, {
      transport: this.transport,
      from: deps.config.from,
      ratePerMinute: deps.config.ratePerMinute,
      now: this.now,
      stillWanted: (m) => this.planner.stillWanted(m),
    });
  }

  /** One planning pass (a pass already running is joined). */
  plan(): Promise<PlanReport> {
    return (this.planning ??= this.planner.plan().finally(() => {
      this.planning = null;
    }));
  }

  /** One sending round. */
  tick(): Promise<TickReport> {
    return this.sender.tick();
  }

  /** The timers: planning every `planEveryMs`, sending every `sendEveryMs` (neither keeps HQ alive). */
  start(): void {
    if (this.timers.length) return;
    const guard = (what: string, p: () => Promise<unknown>) => () =>
      void p().catch((err: unknown) => console.error(`[hq] mail ${what} failed`, err));
    const plan = setInterval(guard('planning', () => this.plan()), this.config.planEveryMs);
    const send = setInterval(guard('sending', () => this.tick()), this.config.sendEveryMs);
    plan.unref();
    send.unref();
    this.timers = [plan, send];
    setImmediate(guard('planning', () => this.plan()));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.planning?.catch(() => undefined);
    await this.sender.idle();
  }

  close(): void {
    this.transport?.close?.();
    this.outbox.close();
  }

  state(): SendingState {
    return { enabled: this.sender.enabled, ratePerMinute: this.sender.ratePerMinute, server: this.config.smtpUrl ? redactSmtp(this.config.smtpUrl) : null, from: this.config.from, counts: this.outbox.counts() };
  }

  /** Checks an unsubscribe link (signature, purpose, expiry) and that the person is known. */
  checkUnsubscribe(token: string): LinkResult {
    const r = this.signer.verify(token, 'unsubscribe', new Date(this.now()));
    if (!r.ok) return r;
    return this.planner.knows(r.claims.attendeeId) ? r : { ok: false, reason: 'unknown_person' };
  }

  isUnsubscribed(attendeeId: string): boolean {
    return this.planner.isUnsubscribed(attendeeId);
  }

  languageOf(attendeeId: string): Language {
    return this.planner.languageOf(attendeeId);
  }

  /**
   * Records an unsubscribe (an `attendee_unsubscribed` event of HQ, which desks pull) unless the person
   * is already unsubscribed, and cancels every queued message of theirs (all their records). Idempotent.
   */
  async unsubscribe(claims: LinkClaims, via: 'link' | 'one_click'): Promise<{ cancelled: number }> {
    if (!this.planner.isUnsubscribed(claims.attendeeId)) {
      await this.deps.actions.append('attendee_unsubscribed', { attendeeId: claims.attendeeId, stopId: claims.stopId, via }, null);
    }
    return { cancelled: this.outbox.cancelAttendee(this.planner.personRecords(claims.attendeeId), 'unsubscribed') };
  }

  /** The person's choice of language for their messages (an `attendee_language_set` event). */
  async setLanguage(claims: LinkClaims, language: Language): Promise<void> {
    if (this.planner.chosenLanguage(claims.attendeeId) === language) return;
    await this.deps.actions.append('attendee_language_set', { attendeeId: claims.attendeeId, language }, null);
  }
}

import path from 'node:path';
import { openSqlite, type Db } from '../../../core/store/sqlite';
import type { Language } from '../../../shared/vocab';

/** What HQ sends attendees (docs/messages.md). */
export const MESSAGE_KINDS = ['confirmation', 'booking_confirmation', 'booking_reminder', 'waitlist_offer', 'thanks'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const OUTBOX_FILE_NAME = 'hq-mail.sqlite';
export const outboxFile = (dataDir: string): string => path.join(dataDir, OUTBOX_FILE_NAME);

/** A message's content, rendered when it was planned (the log shows exactly what went out). */
export interface MessageContent {
  subject: string;
  text: string;
  html: string;
  /** The scan token drawn as the inline QR ticket (`cid:ticket-qr`), when the message carries one. */
  qrToken: string | null;
  /** The signed unsubscribe link (List-Unsubscribe header and the link in the body). */
  unsubscribeUrl: string;
}

export interface NewMessage {
  /** One message per key, ever: kind × attendee × stop/booking/offer (`kind:ref`). */
  dedupeKey: string;
  kind: MessageKind;
  attendeeId: string;
  stopId: string;
  /** The registration, booking, waitlist entry or stop the message is about. */
  refId: string;
  toAddress: string;
  toName: string;
  language: Language;
  content: MessageContent;
  /** Not before this time (a reminder's moment); UTC ISO-8601. */
  dueAt: string;
}

export interface OutboxMessage {
  id: number;
  dedupeKey: string;
  kind: MessageKind;
  attendeeId: string;
  stopId: string;
  refId: string;
  toAddress: string;
  toName: string;
  language: Language;
  subject: string;
  content: MessageContent;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  smtpMessageId: string | null;
  cancelReason: string | null;
}

export interface OutboxFilter {
  status?: MessageStatus | undefined;
  kind?: MessageKind | undefined;
}

interface Row {
  id: number;
  dedupe_key: string;
  kind: MessageKind;
  attendee_id: string;
  stop_id: string;
  ref_id: string;
  to_address: string;
  to_name: string;
  language: Language;
  subject: string;
  content: string;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  smtp_message_id: string | null;
  cancel_reason: string | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    attendee_id TEXT NOT NULL,
    stop_id TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    content TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Queued: when to try (first: the message's due time; after a failure: with backoff). NULL otherwise.
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    smtp_message_id TEXT,
    cancel_reason TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS messages_due ON messages(next_attempt_at) WHERE status = 'queued';
  CREATE INDEX IF NOT EXISTS messages_attendee ON messages(attendee_id, status);
  CREATE INDEX IF NOT EXISTS messages_log ON messages(status, kind, id);
  CREATE INDEX IF NOT EXISTS messages_kind ON messages(kind, id);
  -- Sends of the last minutes, for the rate limit (kept a day).
  CREATE TABLE IF NOT EXISTS send_attempts (at TEXT NOT NULL) STRICT;
  CREATE INDEX IF NOT EXISTS send_attempts_at ON send_attempts(at);
`;

const toMessage = (r: Row): OutboxMessage => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  kind: r.kind,
  attendeeId: r.attendee_id,
  stopId: r.stop_id,
  refId: r.ref_id,
  toAddress: r.to_address,
  toName: r.to_name,
  language: r.language,
  subject: r.subject,
  content: JSON.parse(r.content) as MessageContent,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  smtpMessageId: r.smtp_message_id,
  cancelReason: r.cancel_reason,
});

/**
 * HQ's durable outbox of attendee messages: its own SQLite file in HQ's data folder (WAL, FULL sync,
 * like hq-admin.sqlite). Each message exists once (its dedupe key is UNIQUE), so planning again never
 * sends twice; the sender claims due rows, and records each attempt's outcome in one transaction.
 */
export class MailOutbox {
  readonly db: Db;
  private readonly q;

  constructor(file: string, opts: { key?: Buffer | undefined } = {}) {
    this.db = openSqlite(file, { key: opts.key });
    this.db.exec(SCHEMA);
    const db = this.db;
    this.q = {
      insert: db.prepare(`INSERT OR IGNORE INTO messages (dedupe_key, kind, attendee_id, stop_id, ref_id, to_address, to_name, language, subject, content, status, next_attempt_at, created_at)
        VALUES (@dedupeKey, @kind, @attendeeId, @stopId, @refId, @toAddress, @toName, @language, @subject, @content, 'queued', @dueAt, @now)`),
      has: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM messages WHERE dedupe_key = ?'),
      due: db.prepare<[string, number], Row>(`SELECT * FROM messages WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
      get: db.prepare<[number], Row>('SELECT * FROM messages WHERE id = ?'),
      byKey: db.prepare<[string], Row>('SELECT * FROM messages WHERE dedupe_key = ?'),
      sent: db.prepare(`UPDATE messages SET status = 'sent', attempts = attempts + 1, sent_at = @at, smtp_message_id = @messageId, next_attempt_at = NULL, last_error = NULL WHERE id = @id AND status = 'queued'`),
      retry: db.prepare(`UPDATE messages SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next WHERE id = @id AND status = 'queued'`),
      failed: db.prepare(`UPDATE messages SET status = 'failed', attempts = attempts + 1, last_error = @error, next_attempt_at = NULL WHERE id = @id AND status = 'queued'`),
      cancel: db.prepare(`UPDATE messages SET status = 'cancelled', cancel_reason = @reason, next_attempt_at = NULL WHERE id = @id AND status = 'queued'`),
      cancelAttendee: db.prepare(`UPDATE messages SET status = 'cancelled', cancel_reason = @reason, next_attempt_at = NULL WHERE attendee_id = @attendeeId AND status = 'queued'`),
      queuedOf: db.prepare<[string], Row>(`SELECT * FROM messages WHERE attendee_id = ? AND status = 'queued'`),
      noteAttempt: db.prepare('INSERT INTO send_attempts (at) VALUES (?)'),
      attemptsSince: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM send_attempts WHERE at > ?'),
      oldestSince: db.prepare<[string], { at: string }>('SELECT at FROM send_attempts WHERE at > ? ORDER BY at LIMIT 1'),
      pruneAttempts: db.prepare('DELETE FROM send_attempts WHERE at <= ?'),
      counts: db.prepare<[], { status: MessageStatus; n: number }>('SELECT status, COUNT(*) AS n FROM messages GROUP BY status'),
    };
  }

  /** Adds the messages not planned before (by dedupe key), in one transaction; returns how many were new. */
  enqueue(messages: readonly NewMessage[], now: Date): number {
    const at = now.toISOString();
    return this.db.transaction(() => {
      let added = 0;
      for (const m of messages) {
        const r = this.q.insert.run({ ...m, content: JSON.stringify(m.content), subject: m.content.subject, now: at });
        added += r.changes;
      }
      return added;
    })();
  }

  has(dedupeKey: string): boolean {
    return this.q.has.get(dedupeKey) !== undefined;
  }

  byKey(dedupeKey: string): OutboxMessage | null {
    const r = this.q.byKey.get(dedupeKey);
    return r ? toMessage(r) : null;
  }

  get(id: number): OutboxMessage | null {
    const r = this.q.get.get(id);
    return r ? toMessage(r) : null;
  }

  /** Queued messages whose time has come, earliest first. */
  due(now: Date, limit: number): OutboxMessage[] {
    return this.q.due.all(now.toISOString(), limit).map(toMessage);
  }

  markSent(id: number, at: Date, messageId: string | null): void {
    this.db.transaction(() => {
      this.q.sent.run({ id, at: at.toISOString(), messageId });
    })();
  }

  /** A failed attempt: tried again at `next`, or given up (`next` null: status failed). */
  markFailed(id: number, error: string, next: Date | null): void {
    this.db.transaction(() => {
      if (next) this.q.retry.run({ id, error: error.slice(0, 1000), next: next.toISOString() });
      else this.q.failed.run({ id, error: error.slice(0, 1000) });
    })();
  }

  cancel(id: number, reason: string): void {
    this.q.cancel.run({ id, reason });
  }

  /** Cancels every queued message of a person (an unsubscribe); returns how many. */
  cancelAttendee(attendeeIds: readonly string[], reason: string): number {
    return this.db.transaction(() => attendeeIds.reduce((n, attendeeId) => n + this.q.cancelAttendee.run({ attendeeId, reason }).changes, 0))();
  }

  /** Records one SMTP attempt for the rate limit (a failed attempt counts too: the server saw it). */
  noteAttempt(at: Date): void {
    this.q.noteAttempt.run(at.toISOString());
  }

  /** Attempts in the window ending at `now`, and when the oldest of them leaves the window. */
  attemptsInWindow(now: Date, windowMs: number): { count: number; oldest: string | null } {
    const since = new Date(now.getTime() - windowMs).toISOString();
    this.q.pruneAttempts.run(new Date(now.getTime() - 86_400_000).toISOString());
    return { count: this.q.attemptsSince.get(since)!.n, oldest: this.q.oldestSince.get(since)?.at ?? null };
  }

  counts(): Record<MessageStatus, number> {
    const out: Record<MessageStatus, number> = { queued: 0, sent: 0, failed: 0, cancelled: 0 };
    for (const r of this.q.counts.all()) out[r.status] = r.n;
    return out;
  }

  /** One page of the log, newest first, with the filter. */
  page(filter: OutboxFilter, page: number, pageSize: number): { items: OutboxMessage[]; total: number; page: number; pages: number; pageSize: number } {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    if (filter.status) {
      where.push('status = @status');
      args.status = filter.status;
    }
    if (filter.kind) {
      where.push('kind = @kind');
      args.kind = filter.kind;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Four shapes of filter: statements are prepared per shape and kept.
    const total = this.stmt(`SELECT COUNT(*) AS n FROM messages ${w}`).get(args) as { n: number };
    const pages = Math.max(1, Math.ceil(total.n / pageSize));
    const at = Math.min(Math.max(1, page), pages);
    const rows = this.stmt(`SELECT * FROM messages ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all({ ...args, limit: pageSize, offset: (at - 1) * pageSize }) as Row[];
    return { items: rows.map(toMessage), total: total.n, page: at, pages, pageSize };
  }

  private readonly stmts = new Map<string, ReturnType<Db['prepare']>>();
  private stmt(sql: string) {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  close(): void {
    this.db.close();
  }
}

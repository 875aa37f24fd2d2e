import QRCode from 'qrcode';
import { QR_CID } from './mailText';
import type { MailOutbox, OutboxMessage } from './outbox';

/** What the sender needs of a mail transport (nodemailer's `Transporter` has it). */
export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<{ messageId?: string | undefined }>;
  close?(): void;
}

export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string; content: Buffer; contentType: string; cid: string; contentDisposition: 'inline' }[];
}

export interface SenderOptions {
  /** null: sending is off (no SMTP server configured); messages stay queued. */
  transport: MailTransport | null;
  from: string;
  /** Messages (SMTP attempts) per rolling minute. */
  ratePerMinute: number;
  now: () => number;
  /** Attempts before a message is given up (status failed). */
  maxAttempts?: number;
  /** The first retry's wait; each later one doubles, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Asked right before sending: a reason not to send any more (the message is cancelled), or null. */
  stillWanted?: (m: OutboxMessage) => string | null;
}

export interface TickReport {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
  /** Due messages left for a later tick by the rate limit. */
  heldByRateLimit: number;
}

const WINDOW_MS = 60_000;

/** The scan token as the desk's scanner reads it: the token itself, as the badges print it (core/domain/badgeLayout.ts). */
export function qrPng(token: string): Promise<Buffer> {
  return QRCode.toBuffer(token, { errorCorrectionLevel: 'M', margin: 4, width: 240, type: 'png' });
}

/** An SMTP refusal that will not change by retrying (5xx): the address does not exist, the message is refused. */
function permanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const describe = (err: unknown): string => {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown } | null;
  const parts = [typeof e?.code === 'string' ? e.code : null, typeof e?.responseCode === 'number' ? String(e.responseCode) : null].filter(Boolean);
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return parts.length ? `${parts.join(' ')}: ${message}` : message;
};

/**
 * Sends due messages from the outbox, one at a time: at most `ratePerMinute` SMTP attempts in any
 * rolling minute (the attempts are recorded in the outbox, so a restart keeps the count), a failed
 * attempt retried later with exponential backoff, a 5xx refusal or the last attempt recorded as failed.
 * `tick()` is one round; the service calls it on a timer, tests call it with a fake clock.
 */
export class MailSender {
  private running: Promise<TickReport> | null = null;

  constructor(
    private readonly outbox: MailOutbox,
    private readonly opts: SenderOptions,
  ) {}

  get enabled(): boolean {
    return this.opts.transport !== null;
  }

  get ratePerMinute(): number {
    return this.opts.ratePerMinute;
  }

  /** Resolves when no round is running (a round that has started finishes its current message). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One round; a round already running is joined rather than doubled. */
  tick(): Promise<TickReport> {
    return (this.running ??= this.round().finally(() => {
      this.running = null;
    }));
  }

  private async round(): Promise<TickReport> {
    const report: TickReport = { sent: 0, retrying: 0, failed: 0, cancelled: 0, heldByRateLimit: 0 };
    const transport = this.opts.transport;
    if (!transport) return report;
    for (;;) {
      const now = new Date(this.opts.now());
      const budget = this.opts.ratePerMinute - this.outbox.attemptsInWindow(now, WINDOW_MS).count;
      const [m] = this.outbox.due(now, 1);
      if (!m) break;
      const why = this.opts.stillWanted?.(m) ?? null;
      if (why) {
        this.outbox.cancel(m.id, why);
        report.cancelled++;
        continue;
      }
      if (budget <= 0) {
        report.heldByRateLimit = this.outbox.due(now, 10_000).length;
        break;
      }
      this.outbox.noteAttempt(now);
      try {
        const info = await transport.sendMail(await this.compose(m));
        this.outbox.markSent(m.id, new Date(this.opts.now()), info.messageId ?? null);
        report.sent++;
      } catch (err) {
        const attempts = m.attempts + 1;
        const giveUp = permanent(err) || attempts >= (this.opts.maxAttempts ?? 8);
        const wait = Math.min((this.opts.backoffMs ?? 60_000) * 2 ** (attempts - 1), this.opts.maxBackoffMs ?? 6 * 3600_000);
        this.outbox.markFailed(m.id, describe(err), giveUp ? null : new Date(this.opts.now() + wait));
        if (giveUp) report.failed++;
        else report.retrying++;
      }
    }
    return report;
  }

  private async compose(m: OutboxMessage): Promise<OutgoingMail> {
    const c = m.content;
    return {
      from: this.opts.from,
      to: { name: m.toName, address: m.toAddress },
      subject: c.subject,
      text: c.text,
      html: c.html,
      headers: {
        // RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link.
        'List-Unsubscribe': `<${c.unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Roadshow-Message': `${m.kind} ${m.id}`,
      },
      attachments: c.qrToken ? [{ filename: 'ticket.png', content: await qrPng(c.qrToken), contentType: 'image/png', cid: QR_CID, contentDisposition: 'inline' }] : [],
    };
  }
}

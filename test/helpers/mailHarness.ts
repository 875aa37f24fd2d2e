import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { openStore, type Store } from '../../core/store/openStore';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { HqActions } from '../../hq/server/admin/hqActions';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { MailService, type MailConfig } from '../../hq/server/mail/mailService';
import type { MailTransport } from '../../hq/server/mail/sender';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { ADMIN, type DashboardHq } from './tourScenario';
import { injectTransport } from './hqHarness';
import { tempDir } from './testStore';

/** An SMTP server started by the test (smtp-server on 127.0.0.1), keeping every message it received, parsed. */
export class TestSmtp {
  readonly received: { raw: Buffer; mail: ParsedMail; envelopeTo: string[] }[] = [];
  private server: SMTPServer | null = null;
  port = 0;
  /** A recipient this server refuses for good (550), as a server does for an address that does not exist. */
  refuse: string | null = null;

  /** Starts listening (on `port`, or a free one the first time). */
  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address === this.refuse) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw, { keepCidLinks: true })
            .then((mail) => {
              this.received.push({ raw, mail, envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** A nodemailer transport to this server (the port stays the same across stop/start). */
  transport(): MailTransport {
    return nodemailer.createTransport({ host: '127.0.0.1', port: this.port, secure: false, ignoreTLS: true, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 }) as unknown as MailTransport;
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((r) => r.envelopeTo.includes(address)).map((r) => r.mail);
  }
}

export interface MailHq extends DashboardHq {
  mail: MailService;
  actions: HqActions;
}

export const PUBLIC_URL = 'https://hq.roadshow.test';

/** HQ with the dashboard and attendee messages, reached by inject, on a fake clock; the transport is the test's. */
export async function createMailHq(opts: { transport: MailTransport | null; start: string; config?: Partial<MailConfig> }): Promise<MailHq> {
  const dataDir = tempDir('roadshow-hqmail-');
  const clock = { now: Date.parse(opts.start) };
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq', now: () => clock.now });
  const projections = new HqProjections(store, storage);
  const admin = new AdminStore(path.join(dataDir, 'hq-admin.sqlite'));
  admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
  const actions = new HqActions(store, storage, dataDir);
  const config: MailConfig = {
    smtpUrl: opts.transport ? 'smtp://127.0.0.1:2525' : undefined,
    from: 'Roadshow HQ <roadshow@hq.roadshow.test>',
    publicUrl: PUBLIC_URL,
    ratePerMinute: 100,
    reminderMinutes: 120,
    thanksDays: 14,
    planEveryMs: 60_000,
    sendEveryMs: 5_000,
    ...opts.config,
  };
  const mail = new MailService({ dataDir, store, actions, config, transport: opts.transport, now: () => clock.now });
  const app: FastifyInstance = buildHqApp({ storage, projections, now: () => clock.now, mail, dashboard: { storage, projections, admin, dataDir, now: () => clock.now, mail } });
  await app.ready();
  const transport = injectTransport(app);
  return {
    app,
    storage,
    projections,
    store,
    admin,
    dataDir,
    transport,
    clock,
    mail,
    actions,
    async enroll() {
      throw new Error('not used');
    },
    async close() {
      await app.close();
      await mail.stop();
      mail.close();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
      admin.close();
    },
  };
}

export async function closeMailHq(h: MailHq): Promise<void> {
  await h.close();
  rmSync(h.dataDir, { recursive: true, force: true });
}

/** The stop of the scenario: Boston, Saturday 14 March 2026 (EDT, UTC−4). */
export const STOP = { id: 'stop-boston', date: '2026-03-14', timeZone: 'America/New_York' };

/**
 * A stop planned at HQ with people in it (written as HQ's own events on its projection store, as the
 * dashboard's actions are): Kim (Latin and Hangul names, chose Korean), Park (Hangul only: Korean by
 * default), Smith (English) pre-registered by import; Smith booked KAIST at 14:00; Lee waits at KAIST
 * and was offered the 15:00 place (offers expire after 30 minutes at this stop); Walker walked in.
 */
export function seedStop(store: Store): void {
  const e = store.events;
  const meta = { stopId: STOP.id };
  e.append('tour_upserted', { id: 'tour-2026', name: 'Korea–US Research Talent Roadshow 2026', nameKo: '2026 한미 연구인재 로드쇼', year: 2026 });
  e.append('stop_upserted', { id: STOP.id, tourId: 'tour-2026', round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT Stata Center', campus: '', date: STOP.date, timeZone: STOP.timeZone, kind: 'joint_briefing' });
  e.append('institution_upserted', { id: 'inst-kaist', name: 'KAIST', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university', contactName: 'Dr. Han Jiwoo', contactEmail: 'talent@kaist.ac.kr' });
  e.append('institution_upserted', { id: 'inst-postech', name: 'POSTECH', nameKo: '포스텍', shortName: 'POSTECH', kind: 'university', contactName: 'Ms. Yoon', contactEmail: 'hr@postech.ac.kr' });
  e.append('booth_upserted', { id: 'booth-kaist', stopId: STOP.id, institutionId: 'inst-kaist', location: 'B01', staff: [] });
  e.append('booth_upserted', { id: 'booth-postech', stopId: STOP.id, institutionId: 'inst-postech', location: 'B02', staff: [] });
  e.append('booth_plan_set', { boothId: 'booth-kaist', stopId: STOP.id, startTime: '13:00', endTime: '17:00', slotMinutes: 60, capacity: 1, breaks: [], fields: [] });
  e.append('stop_booth_settings_set', { stopId: STOP.id, autoNoShowMinutes: null, offerExpiryMinutes: 30 });
  const person = (id: string, f: { familyName: string; givenName: string; nameKo: string; email: string }, reg: string, token: string, source: 'import' | 'walk_in' = 'import') => {
    e.append('attendee_registered', { attendeeId: id, ...f, affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] }, meta);
    e.append('registration_created', { registrationId: reg, attendeeId: id, stopId: STOP.id, source, scanToken: token }, meta);
  };
  person('att-kim', { familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'minjun.kim@mit.example' }, 'reg-kim', 'RS-KIM0000000001');
  person('att-park', { familyName: '', givenName: '', nameKo: '박서연', email: 'seoyeon.park@harvard.example' }, 'reg-park', 'RS-PARK000000002');
  person('att-smith', { familyName: 'Smith', givenName: 'Alex', nameKo: '', email: 'alex.smith@bu.example' }, 'reg-smith', 'RS-SMITH00000003');
  person('att-lee', { familyName: 'Lee', givenName: 'Sora', nameKo: '이소라', email: 'sora.lee@tufts.example' }, 'reg-lee', 'RS-LEE0000000004', 'walk_in');
  person('att-walker', { familyName: 'Walker', givenName: 'Jo', nameKo: '', email: 'jo.walker@mit.example' }, 'reg-walker', 'RS-WALKER0000005', 'walk_in');
  e.append('attendee_language_set', { attendeeId: 'att-kim', language: 'ko' });
  // Smith books KAIST at 14:00 EDT (18:00 UTC); Walker holds 15:00; Lee waits and is offered 15:00 once Walker cancels.
  e.append('booking_made', { bookingId: 'bk-smith', boothId: 'booth-kaist', slotStart: '2026-03-14T18:00:00.000Z', slotEnd: '2026-03-14T19:00:00.000Z', stopId: STOP.id, attendeeId: 'att-smith', registrationId: 'reg-smith', source: 'desk' }, meta);
  e.append('booking_made', { bookingId: 'bk-walker', boothId: 'booth-kaist', slotStart: '2026-03-14T19:00:00.000Z', slotEnd: '2026-03-14T20:00:00.000Z', stopId: STOP.id, attendeeId: 'att-walker', registrationId: 'reg-walker', source: 'desk' }, meta);
  e.append('waitlist_joined', { entryId: 'wl-lee', boothId: 'booth-kaist', stopId: STOP.id, attendeeId: 'att-lee', registrationId: 'reg-lee' }, meta);
  e.append('booking_cancelled', { bookingId: 'bk-walker', reason: 'cannot come' }, meta);
  e.append('waitlist_offered', { entryId: 'wl-lee', slotStart: '2026-03-14T19:00:00.000Z', slotEnd: '2026-03-14T20:00:00.000Z' }, meta);
}

/**
 * The day itself: Kim consulted KAIST and POSTECH and shares with every institution; Park consulted
 * KAIST, shared with POSTECH only (so no covered institution: no thanks); Smith consulted KAIST and
 * shared with KAIST, then withdrew to HQ statistics only.
 */
export function seedConsultations(store: Store): void {
  const e = store.events;
  const meta = { stopId: STOP.id };
  const content = { staffName: 'Dr. Choi', fields: ['ai'], otherFields: [], careerStage: 'postdoc', programs: [], interestLevel: 'high', preferredStart: '', followUpAction: '', followUpOwner: '', followUpDue: '', followUpStatus: 'none', notes: '' } as const;
  const consult = (id: string, attendeeId: string, reg: string, inst: string) =>
    e.append('consultation_logged', { consultationId: id, stopId: STOP.id, institutionId: inst, boothId: null, bookingId: null, attendeeId, registrationId: reg, visitorLabel: '', content: content as never }, meta);
  consult('c-kim-kaist', 'att-kim', 'reg-kim', 'inst-kaist');
  consult('c-kim-postech', 'att-kim', 'reg-kim', 'inst-postech');
  consult('c-park-kaist', 'att-park', 'reg-park', 'inst-kaist');
  consult('c-smith-kaist', 'att-smith', 'reg-smith', 'inst-kaist');
  e.append('consent_recorded', { consentId: 'cs-kim', attendeeId: 'att-kim', scope: 'all_institutions', institutionId: null, textVersion: '2025-10-v1' }, meta);
  e.append('consent_recorded', { consentId: 'cs-park', attendeeId: 'att-park', scope: 'institution', institutionId: 'inst-postech', textVersion: '2025-10-v1' }, meta);
  e.append('consent_recorded', { consentId: 'cs-smith', attendeeId: 'att-smith', scope: 'institution', institutionId: 'inst-kaist', textVersion: '2025-10-v1' }, meta);
}

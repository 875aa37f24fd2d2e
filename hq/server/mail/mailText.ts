import type { Language } from '../../../shared/vocab';
import type { MessageContent } from './outbox';

/** The Content-ID of the QR ticket in a confirmation (`<img src="cid:…">`). */
export const QR_CID = 'ticket-qr@roadshow';

/** Where and when: the stop as a message names it, in the person's language. */
export interface StopInfo {
  id: string;
  tourName: string;
  city: string;
  venue: string;
  /** YYYY-MM-DD, the stop's local date. */
  date: string;
  timeZone: string;
}

export interface SlotInfo {
  institution: string;
  location: string;
  /** UTC ISO. */
  start: string;
  end: string;
}

export interface ContactInfo {
  institution: string;
  contactName: string;
  contactEmail: string;
}

export type MessageFacts =
  | { kind: 'confirmation'; scanToken: string; bookUrl: string; bookUntil: string }
  | { kind: 'booking_confirmation'; slot: SlotInfo; bookUrl: string }
  | { kind: 'booking_reminder'; slot: SlotInfo; bookUrl: string }
  | { kind: 'waitlist_offer'; slot: SlotInfo; deadline: string | null; bookUrl: string }
  | { kind: 'thanks'; contacts: ContactInfo[] };

export interface MessageInput {
  language: Language;
  name: string;
  stop: StopInfo;
  unsubscribeUrl: string;
  facts: MessageFacts;
}

const LOCALE: Record<Language, string> = { en: 'en-US', ko: 'ko-KR' };

/** A stop's date as people read it ("Saturday, March 14, 2026" / "2026년 3월 14일 토요일"). */
export function dayText(date: string, lang: Language): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(at);
}

/** Hour, minute, month, day of an instant in a zone, and the zone's short name there ("EDT"). */
function wall(iso: string, timeZone: string): { hour: number; minute: string; month: number; day: number; zone: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { hour: Number(get('hour')) % 24, minute: get('minute'), month: Number(get('month')), day: Number(get('day')), zone: get('timeZoneName') };
}

/**
 * A moment in the stop's time zone, with the zone named: "2:30 PM EDT" / "오후 2:30(EDT)". Korean is
 * written out here (오전/오후): the runtime's ICU data may lack Korean day periods and print "PM".
 */
export function timeText(iso: string, timeZone: string, lang: Language): string {
  const w = wall(iso, timeZone);
  const h12 = w.hour % 12 || 12;
  return lang === 'ko' ? `${w.hour < 12 ? '오전' : '오후'} ${h12}:${w.minute}(${w.zone})` : `${h12}:${w.minute} ${w.hour < 12 ? 'AM' : 'PM'} ${w.zone}`;
}

/** Date and time in the stop's zone: "March 14 at 2:30 PM EDT" / "3월 14일 오후 2:30(EDT)". */
export function momentText(iso: string, timeZone: string, lang: Language): string {
  const w = wall(iso, timeZone);
  if (lang === 'ko') return `${w.month}월 ${w.day}일 ${timeText(iso, timeZone, lang)}`;
  const month = new Intl.DateTimeFormat('en-US', { timeZone, month: 'long' }).format(new Date(iso));
  return `${month} ${w.day} at ${timeText(iso, timeZone, lang)}`;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const fill = (t: string, vars: Record<string, string>): string => t.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');

/** The words of the messages; ko is typed from en. */
const en = {
  greeting: 'Dear {{name}},',
  greetingNoName: 'Hello,',
  signature: 'The Korea–US Research Talent Roadshow team',
  footer: 'You receive this message because you registered for {{tour}}.',
  unsubscribe: 'Unsubscribe from these emails',
  confirmation: {
    subject: '{{tour}}: your ticket for {{city}} on {{day}}',
    intro: 'You are registered for {{tour}} in {{city}} ({{venue}}) on {{day}}.',
    ticket: 'Show this QR code at the check-in desk. If it cannot be scanned, give the desk your ticket number: {{token}}',
    qrAlt: 'QR ticket {{token}}',
    book: 'Book a consultation at the institutions’ booths (this link works until the end of {{until}}):',
  },
  booking_confirmation: {
    subject: 'Booked: {{institution}} at {{time}}, {{city}}',
    intro: 'Your consultation is booked with {{institution}} on {{day}} from {{time}} to {{end}} at booth {{location}}.',
    manage: 'To change or cancel it:',
  },
  booking_reminder: {
    subject: 'Reminder: {{institution}} at {{time}}',
    intro: 'A reminder: your consultation with {{institution}} starts at {{time}} on {{day}}, booth {{location}} ({{venue}}).',
    manage: 'If you cannot come, please cancel so someone waiting gets the place:',
  },
  waitlist_offer: {
    subject: 'A place is free: {{institution}} at {{time}}',
    intro: 'A place has become free at {{institution}} on {{day}} from {{time}} to {{end}} (booth {{location}}), and you are next on the waiting list.',
    deadline: 'The place is held for you until {{deadline}}; after that it goes to the next person.',
    noDeadline: 'The place is held for you until you accept or decline it.',
    accept: 'Accept it at the registration desk or here:',
  },
  thanks: {
    subject: 'Thank you for coming to {{tour}} in {{city}}',
    intro: 'Thank you for joining {{tour}} in {{city}} on {{day}}.',
    contacts: 'The institutions you met will follow up with you. Their contacts:',
    noContact: 'the institution will contact you',
    noContacts: 'We hope to see you at another stop of the tour.',
  },
};
type MailWords = typeof en;

const ko: MailWords = {
  greeting: '{{name}}님, 안녕하세요.',
  greetingNoName: '안녕하세요.',
  signature: '한미 연구인재 로드쇼 운영팀 드림',
  footer: '{{tour}}에 등록하셔서 이 메일을 받으셨습니다.',
  unsubscribe: '이 메일 수신 거부',
  confirmation: {
    subject: '{{tour}}: {{day}} {{city}} 입장권',
    intro: '{{day}} {{city}}({{venue}})에서 열리는 {{tour}}에 등록되셨습니다.',
    ticket: '접수 데스크에서 이 QR 코드를 보여 주세요. 코드가 읽히지 않으면 입장권 번호를 알려 주세요: {{token}}',
    qrAlt: 'QR 입장권 {{token}}',
    book: '참여 기관 부스 상담을 예약하세요 (이 링크는 {{until}}까지 쓸 수 있습니다):',
  },
  booking_confirmation: {
    subject: '예약 완료: {{city}} {{institution}} {{time}}',
    intro: '{{day}} {{time}}부터 {{end}}까지 {{institution}} 부스({{location}}) 상담이 예약되었습니다.',
    manage: '변경하거나 취소하려면:',
  },
  booking_reminder: {
    subject: '알림: {{time}} {{institution}} 상담',
    intro: '{{day}} {{time}}에 {{institution}} 부스({{location}}, {{venue}}) 상담이 시작됩니다.',
    manage: '참석하지 못하시면 대기 중인 분이 자리를 얻도록 취소해 주세요:',
  },
  waitlist_offer: {
    subject: '빈자리 안내: {{time}} {{institution}}',
    intro: '{{day}} {{time}}부터 {{end}}까지 {{institution}} 부스({{location}})에 자리가 났고, 대기 순서가 되셨습니다.',
    deadline: '{{deadline}}까지 자리를 맡아 둡니다. 그 뒤에는 다음 분께 넘어갑니다.',
    noDeadline: '수락하거나 거절하실 때까지 자리를 맡아 둡니다.',
    accept: '접수 데스크나 여기서 수락하세요:',
  },
  thanks: {
    subject: '{{city}} {{tour}}에 와 주셔서 감사합니다',
    intro: '{{day}} {{city}}에서 열린 {{tour}}에 참여해 주셔서 감사합니다.',
    contacts: '상담하신 기관에서 연락을 드릴 예정입니다. 기관 연락처:',
    noContact: '기관에서 연락드릴 예정',
    noContacts: '투어의 다른 행사에서도 뵙기를 바랍니다.',
  },
};

export const MAIL_WORDS: Record<Language, MailWords> = { en, ko };

type Block = { text: string; html: string };
const para = (s: string): Block => ({ text: s, html: `<p>${esc(s)}</p>` });
const link = (label: string, url: string): Block => ({ text: `${label}\n${url}`, html: `<p>${esc(label)}<br><a href="${esc(url)}" style="word-break:break-all">${esc(url)}</a></p>` });

/** Renders one message (subject, plain text, HTML) in the person's language. Pure: same input, same message. */
export function renderMessage(input: MessageInput): MessageContent {
  const { language: lang, stop, facts } = input;
  const w = MAIL_WORDS[lang];
  const day = dayText(stop.date, lang);
  const base = { tour: stop.tourName, city: stop.city, venue: stop.venue, day };
  const slotVars = (s: SlotInfo) => ({ ...base, institution: s.institution, location: s.location || '—', time: timeText(s.start, stop.timeZone, lang), end: timeText(s.end, stop.timeZone, lang) });
  const blocks: Block[] = [para(input.name ? fill(w.greeting, { name: input.name }) : w.greetingNoName)];
  let subject: string;
  let qrToken: string | null = null;
  switch (facts.kind) {
    case 'confirmation': {
      const t = w.confirmation;
      subject = fill(t.subject, base);
      qrToken = facts.scanToken;
      blocks.push(para(fill(t.intro, base)));
      const ticket = fill(t.ticket, { token: facts.scanToken });
      blocks.push({ text: ticket, html: `<p>${esc(ticket)}</p><p><img src="cid:${QR_CID}" alt="${esc(fill(t.qrAlt, { token: facts.scanToken }))}" width="240" height="240"></p><p style="font-family:monospace;font-size:20px">${esc(facts.scanToken)}</p>` });
      blocks.push(link(fill(t.book, { until: dayText(facts.bookUntil, lang) }), facts.bookUrl));
      break;
    }
    case 'booking_confirmation':
    case 'booking_reminder': {
      const t = w[facts.kind];
      const v = slotVars(facts.slot);
      subject = fill(t.subject, v);
      blocks.push(para(fill(t.intro, v)));
      blocks.push(link(t.manage, facts.bookUrl));
      break;
    }
    case 'waitlist_offer': {
      const t = w.waitlist_offer;
      const v = slotVars(facts.slot);
      subject = fill(t.subject, v);
      blocks.push(para(fill(t.intro, v)));
      blocks.push(para(facts.deadline ? fill(t.deadline, { deadline: momentText(facts.deadline, stop.timeZone, lang) }) : t.noDeadline));
      blocks.push(link(t.accept, facts.bookUrl));
      break;
    }
    case 'thanks': {
      const t = w.thanks;
      subject = fill(t.subject, base);
      blocks.push(para(fill(t.intro, base)));
      if (facts.contacts.length > 0) {
        const line = (c: ContactInfo) => `${c.institution}: ${c.contactName || c.contactEmail ? [c.contactName, c.contactEmail ? `<${c.contactEmail}>` : ''].filter(Boolean).join(' ') : t.noContact}`;
        blocks.push({
          text: `${t.contacts}\n${facts.contacts.map((c) => `- ${line(c)}`).join('\n')}`,
          html: `<p>${esc(t.contacts)}</p><ul>${facts.contacts
            .map((c) => `<li><strong>${esc(c.institution)}</strong>: ${c.contactName ? esc(c.contactName) + ' ' : ''}${c.contactEmail ? `<a href="mailto:${esc(c.contactEmail)}">${esc(c.contactEmail)}</a>` : c.contactName ? '' : esc(t.noContact)}</li>`)
            .join('')}</ul>`,
        });
      } else blocks.push(para(t.noContacts));
      break;
    }
  }
  blocks.push(para(w.signature));
  const footer = fill(w.footer, base);
  const text = `${blocks.map((b) => b.text).join('\n\n')}\n\n--\n${footer}\n${w.unsubscribe}: ${input.unsubscribeUrl}\n`;
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:36em">${blocks.map((b) => b.html).join('\n')}<hr><p style="font-size:small;color:#555">${esc(footer)} <a href="${esc(input.unsubscribeUrl)}">${esc(w.unsubscribe)}</a></p></body></html>`;
  return { subject, text, html, qrToken, unsubscribeUrl: input.unsubscribeUrl };
}

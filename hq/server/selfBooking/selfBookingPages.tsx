import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Language } from '../../../shared/vocab';
import type { BoothCard, SelfBookingView, SlotCell } from './selfBookingData';
import { fill, type SelfBookingText } from './selfBookingText';

/**
 * The attendee's self-booking page (issue #21): server-rendered, plain forms that work without any
 * script (the page has none), laid out for a phone first. Every button names what it does ("Book
 * KAIST, 13:00–13:15") and every refusal is written next to the slot or booking it is about.
 */
export const renderSelfBooking = (node: ReactNode): string => `<!doctype html>${renderToStaticMarkup(node)}`;

export interface Notice {
  ok: boolean;
  text: string;
  /** Where it belongs: a slot (`boothId|slotStart`), a booth (`boothId`), a booking or waitlist entry id; none: the top. */
  at?: string | undefined;
}

export interface PageProps {
  t: SelfBookingText;
  lang: Language;
  /** This page's address in the other language. */
  switchHref: string;
  children?: ReactNode;
  title?: string;
}

export function Shell({ t, lang, switchHref, children, title }: PageProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{title ? `${title} · ${t.htmlTitle}` : t.htmlTitle}</title>
        <link rel="icon" href="/book/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/book/assets/selfbook.css" />
      </head>
      <body>
        <header className="top">
          <span className="brand">{t.brand}</span>
          <a className="lang" href={switchHref} lang={lang === 'ko' ? 'en' : 'ko'} aria-label={t.switchLabel}>
            {t.switchTo}
          </a>
        </header>
        <main>{children}</main>
        <footer className="foot">{t.footer}</footer>
      </body>
    </html>
  );
}

export function ProblemPage({ title, text, ...shell }: PageProps & { title: string; text: string }) {
  return (
    <Shell {...shell} title={title}>
      <section className="problem" aria-labelledby="problem-title">
        <h1 id="problem-title">{title}</h1>
        <p>{text}</p>
      </section>
    </Shell>
  );
}

function longDate(date: string, lang: Language): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(at);
}

interface FormProps {
  action: string;
  formToken: string;
  lang: Language;
  fields: Record<string, string>;
  label: string;
  text: string;
  className?: string;
}

/** One button = one plain POST form with the page's form token. */
function ActionForm({ action, formToken, lang, fields, label, text, className }: FormProps) {
  return (
    <form method="post" action={action} className="act">
      <input type="hidden" name="_form" value={formToken} />
      <input type="hidden" name="lang" value={lang} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={className} aria-label={label}>
        {text}
      </button>
    </form>
  );
}

const Refusal = ({ notice, id }: { notice: Notice | undefined; id: string }) =>
  notice ? (
    <p className={notice.ok ? 'note ok' : 'note err'} role={notice.ok ? 'status' : 'alert'} id={id}>
      {notice.text}
    </p>
  ) : null;

export interface SelfBookingPageProps extends PageProps {
  view: SelfBookingView;
  /** `/book/<token>`: the page's address; actions post below it. */
  base: string;
  formToken: string;
  notice?: Notice | undefined;
}

export function SelfBookingPage(props: SelfBookingPageProps) {
  const { t, lang, view, base, formToken, notice } = props;
  const at = notice?.at;
  const top = notice && !at ? notice : undefined;
  const form = { formToken, lang };
  return (
    <Shell {...props}>
      <h1>{t.title}</h1>
      <Refusal notice={top} id="notice" />
      <section className="card" aria-labelledby="who">
        <h2 id="who">{fill(t.hello, { name: view.name })}</h2>
        <dl className="stop">
          <dt>{t.yourStop}</dt>
          <dd>{fill(t.stopLine, { city: view.cityName, date: longDate(view.stop.date, lang) })}</dd>
          {view.stop.venue ? <dd>{fill(t.venue, { venue: view.stop.venue })}</dd> : null}
        </dl>
        <p className="zone">{fill(t.timesIn, { zone: view.zone })}</p>
        <p className="muted">{view.closed ? t.closed : t.intro}</p>
      </section>

      <section className="card" aria-labelledby="mine">
        <h2 id="mine">{t.yourBookings}</h2>
        {view.bookings.length === 0 ? <p className="muted">{t.noBookings}</p> : null}
        <ul className="mine" aria-labelledby="mine">
          {view.bookings.map((b) => (
            <li key={b.bookingId} id={`booking-${b.bookingId}`}>
              <span className="what">
                <strong>{b.label}</strong> · {b.booth}
                {b.location ? <span className="muted"> · {fill(t.boothAt, { location: b.location })}</span> : null}
              </span>
              {b.past ? (
                <span className="tag">{t.past}</span>
              ) : (
                <ActionForm {...form} action={`${base}/cancel`} fields={{ bookingId: b.bookingId }} label={fill(t.cancelLabel, { booth: b.booth, time: b.label })} text={t.cancel} className="secondary" />
              )}
              {b.conflicted ? <p className="note warn">{t.conflicted}</p> : null}
              <Refusal notice={at === b.bookingId ? notice : undefined} id={`notice-${b.bookingId}`} />
            </li>
          ))}
        </ul>
        {view.waiting.length > 0 ? (
          <>
            <h3 id="waiting">{t.yourWaitlist}</h3>
            <ul className="mine" aria-labelledby="waiting">
              {view.waiting.map((w) => (
                <li key={w.entryId} id={`entry-${w.entryId}`}>
                  {w.offer ? (
                    <>
                      <span className="what offer">
                        <strong>{fill(t.offer, { booth: w.booth, time: w.offer.label })}</strong> {w.offer.until ? fill(t.offerUntil, { until: w.offer.until }) : t.offerNoDeadline}
                      </span>
                      <span className="buttons">
                        <ActionForm {...form} action={`${base}/offer/accept`} fields={{ entryId: w.entryId }} label={fill(t.acceptLabel, { booth: w.booth, time: w.offer.label })} text={t.accept} />
                        <ActionForm {...form} action={`${base}/offer/decline`} fields={{ entryId: w.entryId }} label={fill(t.declineLabel, { booth: w.booth, time: w.offer.label })} text={t.decline} className="secondary" />
                      </span>
                    </>
                  ) : (
                    <>
                      <span className="what">{fill(t.waitingAt, { booth: w.booth })}</span>
                      <ActionForm {...form} action={`${base}/waitlist/leave`} fields={{ entryId: w.entryId }} label={fill(t.leaveLabel, { booth: w.booth })} text={t.leave} className="secondary" />
                    </>
                  )}
                  <Refusal notice={at === w.entryId ? notice : undefined} id={`notice-${w.entryId}`} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="booths">
        <h2 id="booths">{t.booths}</h2>
        {view.booths.filter((b) => b.hasPlan).length === 0 ? <p className="muted">{t.noBooths}</p> : null}
        {view.booths
          .filter((b) => b.hasPlan)
          .map((b) => (
            <Booth key={b.boothId} booth={b} notice={notice} open={at !== undefined && (at === b.boothId || at.startsWith(`${b.boothId}|`))} {...props} />
          ))}
      </section>
    </Shell>
  );
}

function Booth({ booth: b, notice, open, t, lang, base, formToken, view }: SelfBookingPageProps & { booth: BoothCard; open: boolean }) {
  const free = b.freeAhead === 0 ? t.noFreeTime : b.freeAhead === 1 ? t.oneFreeTime : fill(t.freeTimes, { n: b.freeAhead });
  const canWait = !view.closed && b.ahead > 0 && b.freeAhead === 0 && !b.waiting && !b.slots.some((s) => s.mine && !s.past);
  const form = { formToken, lang };
  return (
    <details className="booth" id={`booth-${b.boothId}`} open={open || b.slots.some((s) => s.mine) || undefined}>
      <summary>
        <strong>{b.name}</strong>
        {b.location ? <span className="muted"> · {b.location}</span> : null}
        <span className={b.freeAhead === 0 ? 'free none' : 'free'}> · {free}</span>
      </summary>
      {b.fullName !== b.name ? <p className="muted full-name">{b.fullName}</p> : null}
      <Refusal notice={notice?.at === b.boothId ? notice : undefined} id={`notice-${b.boothId}`} />
      {canWait ? (
        <div className="wait">
          <p>{t.waitlistFull}</p>
          <ActionForm {...form} action={`${base}/waitlist`} fields={{ boothId: b.boothId }} label={fill(t.joinLabel, { booth: b.name })} text={t.join} />
        </div>
      ) : null}
      <ul className="slots" aria-label={fill(t.slotsOf, { booth: b.name })}>
        {b.slots.map((s) => (
          <Slot key={s.start} booth={b} slot={s} notice={notice?.at === `${b.boothId}|${s.start}` ? notice : undefined} t={t} lang={lang} base={base} formToken={formToken} />
        ))}
      </ul>
    </details>
  );
}

function Slot({ booth, slot: s, notice, t, lang, base, formToken }: { booth: BoothCard; slot: SlotCell; notice: Notice | undefined; t: SelfBookingText; lang: Language; base: string; formToken: string }) {
  const state = s.mine ? 'mine' : s.past ? 'past' : s.free === 0 ? 'full' : 'open';
  return (
    <li className={`slot ${state}${notice ? ' noted' : ''}`} id={`slot-${booth.boothId}-${s.start}`}>
      <span className="time">{s.label}</span>
      <span className="seats">{s.mine ? t.yours : s.past ? t.past : s.free === 0 ? t.full : fill(t.seatsFree, { n: s.free, capacity: s.capacity })}</span>
      {state === 'open' ? (
        <ActionForm formToken={formToken} lang={lang} action={`${base}/book`} fields={{ boothId: booth.boothId, slotStart: s.start }} label={fill(t.bookLabel, { booth: booth.name, time: s.label })} text={t.book} />
      ) : (
        <span />
      )}
      <Refusal notice={notice} id={`notice-${booth.boothId}-${s.start}`} />
    </li>
  );
}

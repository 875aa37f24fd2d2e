import type { BoothView } from '../../../shared/ipc/masterDataContract';
import type { BoothPlan } from '../../../shared/schemas/booths';
import type { Institution, Stop, StopSession, Tour } from '../../../shared/schemas/masterData';
import { SESSION_KINDS } from '../../../shared/vocab';
import { stopLabel } from './dashboardData';
import { fill } from './dashboardText';
import { Csrf, Layout, type PageContext } from './pages';
import { nameIn, zoneLabel } from './tourDisplay';
import { FormError, SelectField, TextField } from './tourFields';
import { boothValues, formatBreaks, sessionValues, stopValues, type FailedForm } from './tourForms';
import { formState, StopFields } from './tourPages';

/**
 * One stop's plan (issue #18): its details (date, time zone), its programme of sessions and its booths with
 * their consultation plans. Times are the stop's wall-clock times, and the page names the zone beside them.
 */
export interface StopPlanData {
  tour: Tour;
  stop: Stop;
  sessions: StopSession[];
  /** Every booth the stop ever had (removed ones too: their bookings stay), with the plan of the live ones. */
  booths: { booth: BoothView; plan: BoothPlan | null }[];
  institutions: Institution[];
  /** Stops to copy booths from (every other stop HQ knows). */
  otherStops: Stop[];
}

export interface StopPlanState {
  edit?: { kind: 'session' | 'booth'; id: string } | undefined;
  failed?: FailedForm | undefined;
}

export function StopPlanPage({ ctx, data, state }: { ctx: PageContext; data: StopPlanData; state: StopPlanState }) {
  const { t, lang } = ctx;
  const x = t.stopPlan;
  const { stop } = data;
  const base = `/dashboard/stops/${encodeURIComponent(stop.id)}`;
  const label = stopLabel(stop, lang);
  const zone = zoneLabel(stop.timeZone, stop.date);
  const details = formState('stop', state.failed, stopValues(stop));
  const editedSession = state.edit?.kind === 'session' ? data.sessions.find((s) => s.id === state.edit!.id) : undefined;
  const session = formState('session', state.failed, editedSession ? sessionValues(editedSession) : { kind: 'policy_briefing' });
  const editedBooth = state.edit?.kind === 'booth' ? data.booths.find((b) => b.booth.id === state.edit!.id) : undefined;
  const booth = formState('booth', state.failed, editedBooth ? boothValues(editedBooth.booth, editedBooth.plan) : { slotMinutes: '15', capacity: '1' });
  const copy = formState('copy', state.failed, {});
  const sessionTitle = (s: Pick<StopSession, 'title' | 'titleKo'>) => nameIn(lang, s.title, s.titleKo);
  const editingSession = Boolean(session.values.id);
  const editingBooth = Boolean(booth.values.id);
  const boothName = (b: BoothView) => b.institution.shortName;
  const boothInstName = data.institutions.find((i) => i.id === booth.values.institutionId)?.shortName ?? '';
  return (
    <Layout ctx={ctx} title={fill(x.title, { stop: label })}>
      <p className="crumbs">
        <a href={`/dashboard/tours/${encodeURIComponent(data.tour.id)}#stops`}>{nameIn(lang, data.tour.name, data.tour.nameKo)}</a>
      </p>
      <h2>
        {fill(x.title, { stop: label })} <span className="muted">{stop.date}</span>
      </h2>
      <p className="lead">{fill(x.localTimes, { zone })}</p>
      <nav className="toc" aria-label={label}>
        <a href="#details">{x.details}</a> · <a href="#sessions">{x.sessions}</a> · <a href="#booths">{x.booths}</a>
      </nav>

      <section id="details" aria-labelledby="details-title">
        <h3 id="details-title">{x.details}</h3>
        <form className="fields" method="post" action={`${base}/plan`} id="stop">
          <Csrf token={ctx.csrf} />
          <FormError errors={details.errors} />
          <StopFields ctx={ctx} form="stop" {...details} />
          <div className="submit">
            <button type="submit">{t.tours.save}</button>
          </div>
        </form>
      </section>

      <section id="sessions" aria-labelledby="sessions-title">
        <h3 id="sessions-title">{x.sessions}</h3>
        {data.sessions.length === 0 ? (
          <p>{x.noSessions}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{fill(x.time, { zone })}</th>
                  <th scope="col">{x.sessionKind}</th>
                  <th scope="col">{x.titleCol}</th>
                  <th scope="col">{x.room}</th>
                  <th scope="col" className="num">
                    {x.capacity}
                  </th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((s) => (
                  <tr key={s.id} className={s.cancelled ? 'inactive' : undefined}>
                    <td className="nowrap">
                      {s.startTime}–{s.endTime}
                    </td>
                    <td>{x.sessionKinds[s.kind]}</td>
                    <th scope="row">
                      {s.cancelled ? <s>{sessionTitle(s)}</s> : sessionTitle(s)}
                      {s.cancelled && <span className="tag">{x.cancelled}</span>}
                    </th>
                    <td>{s.room || '–'}</td>
                    <td className="num">{s.capacity ?? x.noLimit}</td>
                    <td>
                      <div className="actions tight">
                        <a href={`${base}/plan?edit=session:${encodeURIComponent(s.id)}#session`} aria-label={`${t.tours.edit}: ${sessionTitle(s)}`}>
                          {t.tours.edit}
                        </a>
                        <form method="post" action={`${base}/sessions/cancel`}>
                          <Csrf token={ctx.csrf} />
                          <input type="hidden" name="sessionId" value={s.id} />
                          <input type="hidden" name="cancelled" value={s.cancelled ? '0' : '1'} />
                          <button type="submit" className={s.cancelled ? 'secondary' : 'danger'} aria-label={fill(s.cancelled ? x.restoreSession : x.cancelSession, { title: sessionTitle(s) })}>
                            {s.cancelled ? x.restoreShort : x.cancelShort}
                          </button>
                        </form>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h4 id="session-title">{editingSession ? fill(x.editSession, { title: session.values.title ?? '' }) : x.addSession}</h4>
        <form className="fields" method="post" action={`${base}/sessions`} id="session" aria-labelledby="session-title">
          <Csrf token={ctx.csrf} />
          {session.values.id && <input type="hidden" name="id" value={session.values.id} />}
          {session.values.cancelled === '1' && <input type="hidden" name="cancelled" value="1" />}
          <FormError errors={session.errors} />
          <SelectField form="session" {...session} name="kind" label={x.sessionKind} required options={SESSION_KINDS.map((k) => [k, x.sessionKinds[k]] as const)} />
          <TextField form="session" {...session} name="title" label={x.sessionTitle} required maxLength={200} />
          <TextField form="session" {...session} name="titleKo" label={x.sessionTitleKo} maxLength={200} />
          <TextField form="session" {...session} name="startTime" label={`${x.start} (${stop.timeZone})`} type="time" required />
          <TextField form="session" {...session} name="endTime" label={`${x.end} (${stop.timeZone})`} type="time" required />
          <TextField form="session" {...session} name="room" label={x.room} maxLength={100} />
          <TextField form="session" {...session} name="capacity" label={x.capacity} type="number" min={1} max={100000} hint={x.capacityHint} />
          <div className="submit">
            <button type="submit">{editingSession ? t.tours.save : x.addSession}</button>
            {editingSession && <a href={`${base}/plan#sessions`}>{t.tours.cancelEdit}</a>}
          </div>
        </form>
      </section>

      <section id="booths" aria-labelledby="booths-title">
        <h3 id="booths-title">{x.booths}</h3>
        {data.booths.length === 0 ? (
          <p>{x.noBooths}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{x.code}</th>
                  <th scope="col">{x.institution}</th>
                  <th scope="col">{x.plan} ({zone})</th>
                  <th scope="col">{x.boothStaff}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.booths.map(({ booth: b, plan }) => (
                  <tr key={b.id} className={b.removed ? 'inactive' : undefined}>
                    <td>{b.location || '–'}</td>
                    <th scope="row">
                      {b.institution.shortName} <span className="muted">{nameIn(lang, b.institution.name, b.institution.nameKo)}</span>
                    </th>
                    <td>
                      {b.removed ? (
                        <span className="tag">{x.removed}</span>
                      ) : plan ? (
                        <>
                          {fill(x.planSummary, { start: plan.startTime, end: plan.endTime, slot: plan.slotMinutes, perSlot: plan.capacity })}
                          {plan.breaks.length > 0 && (
                            <>
                              <br />
                              <span className="muted">{fill(x.breaksSummary, { breaks: formatBreaks(plan.breaks).replace(/-/g, '–') })}</span>
                            </>
                          )}
                        </>
                      ) : (
                        <span className="muted">{x.noPlan}</span>
                      )}
                    </td>
                    <td>{b.staff.join(', ') || '–'}</td>
                    <td>
                      <div className="actions tight">
                        {!b.removed && (
                          <a href={`${base}/plan?edit=booth:${encodeURIComponent(b.id)}#booth`} aria-label={`${t.tours.edit}: ${boothName(b)}`}>
                            {t.tours.edit}
                          </a>
                        )}
                        <form method="post" action={b.removed ? `${base}/booths/restore` : `${base}/booths/remove`}>
                          <Csrf token={ctx.csrf} />
                          <input type="hidden" name="boothId" value={b.id} />
                          <button type="submit" className={b.removed ? 'secondary' : 'danger'} aria-label={fill(b.removed ? x.restore : x.remove, { name: boothName(b) })}>
                            {b.removed ? x.restoreShort : x.removeShort}
                          </button>
                        </form>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h4 id="booth-title">{editingBooth ? fill(x.editBooth, { name: boothInstName }) : x.addBooth}</h4>
        <form className="fields" method="post" action={`${base}/booths`} id="booth" aria-labelledby="booth-title">
          <Csrf token={ctx.csrf} />
          {booth.values.id && <input type="hidden" name="id" value={booth.values.id} />}
          <FormError errors={booth.errors} />
          <SelectField form="booth" {...booth} name="institutionId" label={x.institution} required empty="" options={data.institutions.map((i) => [i.id, `${i.shortName} · ${nameIn(lang, i.name, i.nameKo)}`] as const)} />
          <TextField form="booth" {...booth} name="location" label={x.code} hint={x.codeHint} maxLength={100} />
          <TextField form="booth" {...booth} name="staff" label={x.boothStaff} hint={x.boothStaffHint} wide />
          <fieldset className="wide">
            <legend>{`${x.plan} (${zone})`}</legend>
            <div className="subgrid">
              <TextField form="booth" {...booth} name="startTime" label={x.hoursFrom} type="time" />
              <TextField form="booth" {...booth} name="endTime" label={x.hoursTo} type="time" />
              <TextField form="booth" {...booth} name="slotMinutes" label={x.slot} type="number" min={5} max={240} />
              <TextField form="booth" {...booth} name="capacity" label={x.perSlot} type="number" min={1} max={50} />
              <TextField form="booth" {...booth} name="breaks" label={x.breaks} hint={x.breaksHint} wide />
            </div>
            <p className="hint">{x.planHint}</p>
          </fieldset>
          <div className="submit">
            <button type="submit">{editingBooth ? t.tours.save : x.addBooth}</button>
            {editingBooth && <a href={`${base}/plan#booths`}>{t.tours.cancelEdit}</a>}
          </div>
        </form>

        <h4 id="copy-title">{x.copyTitle}</h4>
        <p className="muted">{x.copyHelp}</p>
        {data.otherStops.length === 0 ? (
          <p>{x.noOtherStops}</p>
        ) : (
          <form className="fields compact" method="post" action={`${base}/booths/copy`} id="copy" aria-labelledby="copy-title">
            <Csrf token={ctx.csrf} />
            <FormError errors={copy.errors} />
            <SelectField form="copy" {...copy} name="fromStopId" label={x.copyFrom} required options={data.otherStops.map((s) => [s.id, `${stopLabel(s, lang)} · ${s.date}`] as const)} />
            <div className="submit">
              <button type="submit">{x.copy}</button>
            </div>
          </form>
        )}
      </section>
    </Layout>
  );
}

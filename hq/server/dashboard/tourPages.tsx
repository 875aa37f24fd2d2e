import type { Institution, Stop, Tour } from '../../../shared/schemas/masterData';
import type { Program } from '../../../shared/schemas/programs';
import { STAFF_ROLES, type StaffView } from '../../../shared/schemas/staff';
import { INSTITUTION_KINDS, STOP_KINDS } from '../../../shared/vocab';
import { stopLabel } from './dashboardData';
import { fill } from './dashboardText';
import { Csrf, Layout, type PageContext } from './pages';
import { ProgramSection } from './programSection';
import { SheetSection } from './sheetReport';
import { nameIn, TIME_ZONES, zoneLabel } from './tourDisplay';
import { CheckboxGroup, FormError, SelectField, TextField } from './tourFields';
import { institutionValues, staffValues, tourValues, type FailedForm, type FieldErrors, type FormId, type FormValues } from './tourForms';

/**
 * The tour-planning pages of HQ (issue #18): the list of tours, and one tour with its stops, the
 * institutions, the staff and the tour spreadsheet. Every form posts to a route that runs the core API
 * handler (HqActions), so what is saved here is an event the desks pull.
 */

/** The values and messages a form shows: what was refused (kept as typed), else the record being edited, else `fresh`. */
export function formState(id: FormId, failed: FailedForm | undefined, fresh: FormValues): { values: FormValues; errors: FieldErrors } {
  return failed?.form === id ? { values: failed.values, errors: failed.errors } : { values: fresh, errors: {} };
}

export interface ToursPageData {
  tours: { tour: Tour; stops: number }[];
}

const tourDates = (tour: Tour, t: PageContext['t']): string => (tour.startDate || tour.endDate ? `${tour.startDate ?? '…'} – ${tour.endDate ?? '…'}` : fill(t.tours.noDates, { year: tour.year }));

function TourFields({ ctx, form, values, errors }: { ctx: PageContext; form: FormId; values: FormValues; errors: FieldErrors }) {
  const x = ctx.t.tours;
  const p = { form, values, errors };
  return (
    <>
      <TextField {...p} name="name" label={x.name} required maxLength={200} wide />
      <TextField {...p} name="nameKo" label={x.nameKo} maxLength={200} wide />
      <TextField {...p} name="year" label={x.year} type="number" min={2000} max={2100} required />
      <TextField {...p} name="startDate" label={x.startDate} type="date" />
      <TextField {...p} name="endDate" label={x.endDate} type="date" />
    </>
  );
}

export function ToursPage({ ctx, data, failed, year }: { ctx: PageContext; data: ToursPageData; failed?: FailedForm | undefined; year: number }) {
  const { t, lang } = ctx;
  const x = t.tours;
  const create = formState('tour-new', failed, { year: String(year) });
  return (
    <Layout ctx={ctx} title={x.title}>
      <h2>{x.title}</h2>
      <p className="lead">{x.help}</p>
      {data.tours.length === 0 ? (
        <p>{x.none}</p>
      ) : (
        <table>
          <caption>{x.list}</caption>
          <thead>
            <tr>
              <th scope="col">{x.name}</th>
              <th scope="col">{x.year}</th>
              <th scope="col">{x.dates}</th>
              <th scope="col" className="num">
                {x.stopCount}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.tours.map(({ tour, stops }) => (
              <tr key={tour.id}>
                <th scope="row">
                  <a href={`/dashboard/tours/${encodeURIComponent(tour.id)}`}>{nameIn(lang, tour.name, tour.nameKo)}</a>
                </th>
                <td>{tour.year}</td>
                <td>{tourDates(tour, t)}</td>
                <td className="num">{stops}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="tour-new-title">
        <h3 id="tour-new-title">{x.newTour}</h3>
        <form className="fields" method="post" action="/dashboard/tours" id="tour-new">
          <Csrf token={ctx.csrf} />
          <FormError errors={create.errors} />
          <TourFields ctx={ctx} form="tour-new" {...create} />
          <div className="submit">
            <button type="submit">{x.create}</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export interface TourPageData {
  tour: Tour;
  stops: { stop: Stop; sessions: number; booths: number }[];
  institutions: Institution[];
  /** Programmes (issue #21): national ones and every institution's own. */
  programs: Program[];
  staff: StaffView[];
  /** Every stop id of every tour, for naming the stops a person works at other tours. */
  stopTours: Map<string, string>;
}

export interface TourPageState {
  edit?: { kind: 'institution' | 'staff' | 'program'; id: string } | undefined;
  failed?: FailedForm | undefined;
  /** The one-time setup code just made, shown this once. */
  setupCode?: { name: string; code: string } | undefined;
}

export function StopFields({ ctx, form, values, errors }: { ctx: PageContext; form: FormId; values: FormValues; errors: FieldErrors }) {
  const x = ctx.t.stops;
  const p = { form, values, errors };
  return (
    <>
      <TextField {...p} name="round" label={x.round} required maxLength={10} />
      <TextField {...p} name="date" label={x.date} type="date" required />
      <TextField {...p} name="city" label={x.city} required maxLength={100} />
      <TextField {...p} name="cityKo" label={x.cityKo} maxLength={100} />
      <TextField {...p} name="venue" label={x.venue} maxLength={200} />
      <TextField {...p} name="campus" label={x.campus} maxLength={200} />
      <SelectField {...p} name="timeZone" label={x.timeZone} required options={TIME_ZONES.map((z) => [z, z] as const)} />
      <SelectField {...p} name="kind" label={x.kind} required options={STOP_KINDS.map((k) => [k, x.kinds[k]] as const)} />
    </>
  );
}

function EditLink({ href, label, name }: { href: string; label: string; name: string }) {
  return (
    <a href={href} aria-label={`${label}: ${name}`}>
      {label}
    </a>
  );
}

export function TourPage({ ctx, data, state }: { ctx: PageContext; data: TourPageData; state: TourPageState }) {
  const { t, lang } = ctx;
  const { tour } = data;
  const x = t.tours;
  const base = `/dashboard/tours/${encodeURIComponent(tour.id)}`;
  const title = nameIn(lang, tour.name, tour.nameKo);
  const details = formState('tour', state.failed, tourValues(tour));
  const lastZone = data.stops.at(-1)?.stop.timeZone ?? 'America/New_York';
  const newStop = formState('stop-new', state.failed, { timeZone: lastZone, kind: 'joint_briefing', date: tour.startDate ?? '' });
  const editedInst = state.edit?.kind === 'institution' ? data.institutions.find((i) => i.id === state.edit!.id) : undefined;
  const inst = formState('institution', state.failed, editedInst ? institutionValues(editedInst) : { kind: 'university' });
  const editedStaff = state.edit?.kind === 'staff' ? data.staff.find((s) => s.id === state.edit!.id) : undefined;
  const staff = formState('staff', state.failed, editedStaff ? staffValues(editedStaff) : { role: 'booth_staff' });
  const instName = (id: string | null) => data.institutions.find((i) => i.id === id)?.shortName ?? t.staff.noInstitution;
  const stopOptions = data.stops.map(({ stop }) => [stop.id, `${stopLabel(stop, lang)} · ${stop.date}`] as const);
  const instOptions = data.institutions.map((i) => [i.id, `${i.shortName} · ${nameIn(lang, i.name, i.nameKo)}`] as const);
  const staffEditingName = state.failed?.form === 'staff' ? (state.failed.values.name ?? '') : editedStaff?.name;
  const instEditingName = state.failed?.form === 'institution' ? (state.failed.values.shortName ?? '') : editedInst?.shortName;
  const editingInst = Boolean(inst.values.id);
  const editingStaff = Boolean(staff.values.id);
  return (
    <Layout ctx={ctx} title={title}>
      <p className="crumbs">
        <a href="/dashboard/tours">{x.back}</a>
      </p>
      <h2>
        {title} <span className="muted">{tour.year}</span>
      </h2>
      <nav className="toc" aria-label={title}>
        <a href="#details">{x.details}</a> · <a href="#stops">{t.stops.title}</a> · <a href="#institutions">{t.institutions.title}</a> · <a href="#programs">{t.programs.title}</a> · <a href="#staff">{t.staff.title}</a> · <a href="#sheet">{t.sheet.title}</a>
      </nav>

      <section id="details" aria-labelledby="details-title">
        <h3 id="details-title">{x.details}</h3>
        <form className="fields" method="post" action={base} id="tour">
          <Csrf token={ctx.csrf} />
          <FormError errors={details.errors} />
          <TourFields ctx={ctx} form="tour" {...details} />
          <div className="submit">
            <button type="submit">{x.save}</button>
          </div>
        </form>
      </section>

      <section id="stops" aria-labelledby="stops-title">
        <h3 id="stops-title">{t.stops.title}</h3>
        {data.stops.length === 0 ? (
          <p>{t.stops.none}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.stops.round}</th>
                  <th scope="col">{t.stops.cityCol}</th>
                  <th scope="col">{t.stops.date}</th>
                  <th scope="col">{t.stops.timeZone}</th>
                  <th scope="col">{t.stops.kind}</th>
                  <th scope="col">{t.stops.venue}</th>
                  <th scope="col" className="num">
                    {t.stops.sessions}
                  </th>
                  <th scope="col" className="num">
                    {t.stops.booths}
                  </th>
                  <th scope="col">{t.stops.planLink}</th>
                </tr>
              </thead>
              <tbody>
                {data.stops.map(({ stop, sessions, booths }) => (
                  <tr key={stop.id}>
                    <td>{stop.round}</td>
                    <th scope="row">{nameIn(lang, stop.city, stop.cityKo)}</th>
                    <td className="nowrap">{stop.date}</td>
                    <td>{zoneLabel(stop.timeZone, stop.date)}</td>
                    <td>{t.stops.kinds[stop.kind]}</td>
                    <td>{[stop.venue, stop.campus].filter(Boolean).join(' · ') || '–'}</td>
                    <td className="num">{sessions}</td>
                    <td className="num">{booths}</td>
                    <td>
                      <a href={`/dashboard/stops/${encodeURIComponent(stop.id)}/plan`}>{fill(t.stops.plan, { stop: stopLabel(stop, lang) })}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h4 id="stop-new-title">{t.stops.add}</h4>
        <form className="fields" method="post" action={`${base}/stops`} id="stop-new" aria-labelledby="stop-new-title">
          <Csrf token={ctx.csrf} />
          <FormError errors={newStop.errors} />
          <StopFields ctx={ctx} form="stop-new" {...newStop} />
          <div className="submit">
            <button type="submit">{t.stops.add}</button>
          </div>
        </form>
      </section>

      <section id="institutions" aria-labelledby="institutions-title">
        <h3 id="institutions-title">{t.institutions.title}</h3>
        <p className="muted">{t.institutions.help}</p>
        {data.institutions.length === 0 ? (
          <p>{t.institutions.none}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.institutions.shortName}</th>
                  <th scope="col">{t.institutions.nameCol}</th>
                  <th scope="col">{t.institutions.kind}</th>
                  <th scope="col">{t.institutions.programs}</th>
                  <th scope="col">{t.institutions.contact}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.institutions.map((i) => (
                  <tr key={i.id} aria-current={editedInst?.id === i.id ? true : undefined}>
                    <th scope="row">{i.shortName}</th>
                    <td>
                      {i.name}
                      {i.nameKo && (
                        <>
                          <br />
                          <span lang="ko">{i.nameKo}</span>
                        </>
                      )}
                    </td>
                    <td>{t.institutions.kinds[i.kind]}</td>
                    <td>{i.programs.join(', ') || '–'}</td>
                    <td>
                      {i.contactName || '–'}
                      {i.contactEmail && (
                        <>
                          <br />
                          <span className="muted">{i.contactEmail}</span>
                        </>
                      )}
                    </td>
                    <td>
                      <EditLink href={`${base}?edit=institution:${encodeURIComponent(i.id)}#institution`} label={x.edit} name={i.shortName} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h4 id="institution-title">{editingInst ? fill(t.institutions.editTitle, { name: instEditingName ?? '' }) : t.institutions.add}</h4>
        <form className="fields" method="post" action={`${base}/institutions`} id="institution" aria-labelledby="institution-title">
          <Csrf token={ctx.csrf} />
          {inst.values.id && <input type="hidden" name="id" value={inst.values.id} />}
          <FormError errors={inst.errors} />
          <TextField form="institution" {...inst} name="shortName" label={t.institutions.shortName} required maxLength={40} />
          <SelectField form="institution" {...inst} name="kind" label={t.institutions.kind} required options={INSTITUTION_KINDS.map((k) => [k, t.institutions.kinds[k]] as const)} />
          <TextField form="institution" {...inst} name="name" label={t.institutions.name} required maxLength={200} />
          <TextField form="institution" {...inst} name="nameKo" label={t.institutions.nameKo} maxLength={200} />
          <TextField form="institution" {...inst} name="programs" label={t.institutions.programs} hint={t.institutions.programsHint} wide />
          <TextField form="institution" {...inst} name="contactName" label={t.institutions.contactName} maxLength={100} />
          <TextField form="institution" {...inst} name="contactEmail" label={t.institutions.contactEmail} type="email" maxLength={254} />
          <div className="submit">
            <button type="submit">{editingInst ? x.save : t.institutions.add}</button>
            {editingInst && <a href={`${base}#institutions`}>{x.cancelEdit}</a>}
          </div>
        </form>
      </section>

      <ProgramSection ctx={ctx} base={base} programs={data.programs} institutions={data.institutions} editId={state.edit?.kind === 'program' ? state.edit.id : undefined} failed={state.failed} />

      <section id="staff" aria-labelledby="staff-title">
        <h3 id="staff-title">{t.staff.title}</h3>
        <p className="muted">{t.staff.help}</p>
        {state.setupCode && (
          <div className="once" role="status">
            <p>
              <strong>{fill(t.staff.codeTitle, { name: state.setupCode.name })}</strong>
            </p>
            <p className="code" data-testid="setup-code">
              {state.setupCode.code}
            </p>
            <p>{fill(t.staff.codeHelp, { name: state.setupCode.name })}</p>
          </div>
        )}
        {data.staff.length === 0 ? (
          <p>{t.staff.none}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.staff.name}</th>
                  <th scope="col">{t.staff.role}</th>
                  <th scope="col">{t.staff.institution}</th>
                  <th scope="col">{t.staff.stops}</th>
                  <th scope="col">{t.staff.status}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.staff.map((s) => {
                  const here = data.stops.filter(({ stop }) => s.stopIds.includes(stop.id)).map(({ stop }) => stopLabel(stop, lang));
                  const elsewhere = s.stopIds.filter((id) => data.stopTours.get(id) !== tour.id).length;
                  const where = s.stopIds.length === 0 ? t.staff.anyStop : [...here, ...(elsewhere > 0 ? [fill(t.staff.otherTours, { count: elsewhere })] : [])].join(', ');
                  return (
                    <tr key={s.id} className={s.active ? undefined : 'inactive'}>
                      <th scope="row">{s.name}</th>
                      <td>{t.staff.roles[s.role]}</td>
                      <td>{s.role === 'booth_staff' ? instName(s.institutionId) : t.staff.noInstitution}</td>
                      <td>{where}</td>
                      <td>{!s.active ? t.staff.inactive : s.pinSet ? t.staff.pinSet : t.staff.pinPending}</td>
                      <td>
                        {s.active && (
                          <div className="actions tight">
                            <EditLink href={`${base}?edit=staff:${encodeURIComponent(s.id)}#staff-form`} label={x.edit} name={s.name} />
                            {!s.pinSet && (
                              <form method="post" action={`${base}/staff/code`}>
                                <Csrf token={ctx.csrf} />
                                <input type="hidden" name="staffId" value={s.id} />
                                <button type="submit" className="secondary" aria-label={fill(t.staff.newCode, { name: s.name })}>
                                  {t.staff.newCodeShort}
                                </button>
                              </form>
                            )}
                            <form method="post" action={`${base}/staff/deactivate`}>
                              <Csrf token={ctx.csrf} />
                              <input type="hidden" name="staffId" value={s.id} />
                              <button type="submit" className="danger" aria-label={fill(t.staff.deactivate, { name: s.name })}>
                                {t.staff.deactivateShort}
                              </button>
                            </form>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <h4 id="staff-form-title">{editingStaff ? fill(t.staff.editTitle, { name: staffEditingName ?? '' }) : t.staff.add}</h4>
        <form className="fields" method="post" action={`${base}/staff`} id="staff-form" aria-labelledby="staff-form-title">
          <Csrf token={ctx.csrf} />
          {staff.values.id && <input type="hidden" name="id" value={staff.values.id} />}
          <FormError errors={staff.errors} />
          <TextField form="staff" {...staff} name="name" label={t.staff.name} required maxLength={100} />
          <SelectField form="staff" {...staff} name="role" label={t.staff.role} required options={STAFF_ROLES.map((r) => [r, t.staff.roles[r]] as const)} />
          <SelectField form="staff" {...staff} name="institutionId" label={t.staff.institution} options={instOptions} empty={t.staff.noInstitution} />
          <CheckboxGroup form="staff" {...staff} name="stops" prefix="stop_" label={t.staff.stops} hint={t.staff.stopsHint} options={stopOptions} />
          <div className="submit">
            <button type="submit">{editingStaff ? x.save : t.staff.add}</button>
            {editingStaff && <a href={`${base}#staff`}>{x.cancelEdit}</a>}
          </div>
        </form>
      </section>

      <SheetSection ctx={ctx} tourId={tour.id} />
    </Layout>
  );
}

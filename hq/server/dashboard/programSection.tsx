import type { Institution } from '../../../shared/schemas/masterData';
import type { Program } from '../../../shared/schemas/programs';
import { PROGRAM_KINDS } from '../../../shared/vocab';
import { fill } from './dashboardText';
import { Csrf, type PageContext } from './pages';
import { nameIn } from './tourDisplay';
import { CheckField, FormError, SelectField, TextField } from './tourFields';
import { programValues, type FailedForm } from './tourForms';

/**
 * The Programmes section of a tour's page (issue #21): national programmes and each institution's own, with an
 * add / edit form (`program:upsert` through HqActions, so desks pull what is saved here), and institutions'
 * free-text programme lists from before, which HQ can turn into programmes on demand.
 */
export function ProgramSection({ ctx, base, programs, institutions, editId, failed }: { ctx: PageContext; base: string; programs: Program[]; institutions: Institution[]; editId: string | undefined; failed: FailedForm | undefined }) {
  const { t, lang } = ctx;
  const x = t.programs;
  const edited = editId ? programs.find((p) => p.id === editId) : undefined;
  const state = failed?.form === 'program' ? { values: failed.values, errors: failed.errors } : { values: edited ? programValues(edited) : { kind: 'postdoc', active: '1' }, errors: {} };
  const editing = Boolean(state.values.id);
  const editingName = failed?.form === 'program' ? (failed.values.name ?? '') : (edited?.name ?? '');
  const national = programs.filter((p) => p.institutionId === null);
  const groups = institutions.map((i) => ({ institution: i, programs: programs.filter((p) => p.institutionId === i.id) })).filter((g) => g.programs.length > 0);
  const legacy = institutions.filter((i) => i.programs.length > 0);
  const instOptions = institutions.map((i) => [i.id, `${i.shortName} · ${nameIn(lang, i.name, i.nameKo)}`] as const);

  const table = (caption: string, rows: Program[], id: string) => (
    <div className="scroll" key={id}>
      <table aria-labelledby={id}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{x.nameCol}</th>
            <th scope="col">{x.kind}</th>
            <th scope="col" className="num">
              {x.places}
            </th>
            <th scope="col">{x.status}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id} className={p.active ? undefined : 'inactive'} aria-current={edited?.id === p.id ? true : undefined} data-program-id={p.id}>
              <th scope="row">
                {nameIn(lang, p.name, p.nameKo)}
                {p.nameKo && (
                  <>
                    <br />
                    <span className="muted" lang={lang === 'ko' ? 'en' : 'ko'}>
                      {lang === 'ko' ? p.name : p.nameKo}
                    </span>
                  </>
                )}
              </th>
              <td>{x.kinds[p.kind]}</td>
              <td className="num">{p.places ?? x.noPlaces}</td>
              <td>{p.active ? x.offered : x.retired}</td>
              <td>
                <a href={`${base}?edit=program:${encodeURIComponent(p.id)}#program`} aria-label={`${t.tours.edit}: ${nameIn(lang, p.name, p.nameKo)}`}>
                  {t.tours.edit}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <section id="programs" aria-labelledby="programs-title">
      <h3 id="programs-title">{x.title}</h3>
      <p className="muted">{x.help}</p>
      {programs.length === 0 && <p>{x.none}</p>}
      {national.length > 0 && table(x.national, national, 'programs-national')}
      {groups.map((g) => table(fill(x.ownOf, { name: `${g.institution.shortName} · ${nameIn(lang, g.institution.name, g.institution.nameKo)}` }), g.programs, `programs-${g.institution.id}`))}
      <h4 id="program-title">{editing ? fill(x.editTitle, { name: editingName }) : x.add}</h4>
      <form className="fields" method="post" action={`${base}/programs`} id="program" aria-labelledby="program-title">
        <Csrf token={ctx.csrf} />
        {state.values.id && <input type="hidden" name="id" value={state.values.id} />}
        <FormError errors={state.errors} />
        <SelectField form="program" {...state} name="institutionId" label={x.institution} options={instOptions} empty={x.nationalOption} />
        <SelectField form="program" {...state} name="kind" label={x.kind} required options={PROGRAM_KINDS.map((k) => [k, x.kinds[k]] as const)} />
        <TextField form="program" {...state} name="name" label={x.name} required maxLength={160} wide />
        <TextField form="program" {...state} name="nameKo" label={x.nameKo} maxLength={160} wide />
        <TextField form="program" {...state} name="places" label={x.places} hint={x.placesHint} type="number" min={1} max={100000} />
        <CheckField form="program" {...state} name="active" label={x.active} />
        <div className="submit">
          <button type="submit">{editing ? t.tours.save : x.add}</button>
          {editing && <a href={`${base}#programs`}>{t.tours.cancelEdit}</a>}
        </div>
      </form>
      {legacy.length > 0 && (
        <>
          <h4 id="programs-legacy-title">{x.legacyTitle}</h4>
          <p className="muted">{x.legacyHelp}</p>
          <ul aria-labelledby="programs-legacy-title">
            {legacy.map((i) => (
              <li key={i.id}>
                {fill(x.legacy, { name: i.shortName, list: i.programs.join(', ') })}{' '}
                <form method="post" action={`${base}/programs/convert`} className="inline">
                  <Csrf token={ctx.csrf} />
                  <input type="hidden" name="institutionId" value={i.id} />
                  <button type="submit" className="secondary" aria-label={fill(x.convert, { name: i.shortName })}>
                    {x.convertShort}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

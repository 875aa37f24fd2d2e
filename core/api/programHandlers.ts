import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Program } from '../../shared/schemas/programs';
import { perDb } from '../store/perDb';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createProgramQueries } from '../store/queries/programQueries';
import type { HandlerMap } from './handler';

const programQ = perDb(createProgramQueries);
const masterQ = perDb(createMasterDataQueries);

const sameProgram = (a: Program, b: Program): boolean =>
  a.institutionId === b.institutionId && a.name === b.name && a.nameKo === b.nameKo && a.kind === b.kind && a.places === b.places && a.active === b.active;

/** Issue #21: programmes (master data). */
export const programHandlers: HandlerMap<'programs:list' | 'program:upsert'> = {
  'programs:list': ({ institutionId }, ctx) => {
    const q = programQ(ctx.store.db);
    return institutionId === undefined ? q.list() : q.forInstitution(institutionId);
  },

  'program:upsert': ({ id, ...fields }, ctx) => {
    const q = programQ(ctx.store.db);
    const program: Program = { ...fields, id: id ?? `prog-${randomUUID()}` };
    if (program.institutionId !== null && !masterQ(ctx.store.db).institution(program.institutionId)) {
      throw new AppError('VALIDATION', 'No such institution', { issues: [{ path: 'institutionId', message: 'No such institution', code: 'custom' }] });
    }
    // One name per institution (and among the national programmes): the portal's and the form's lists stay unambiguous.
    const clash = q
      .list()
      .find((p) => p.id !== program.id && p.institutionId === program.institutionId && p.name.toLowerCase() === program.name.toLowerCase());
    if (clash) throw new AppError('VALIDATION', `${clash.name} exists already`, { issues: [{ path: 'name', message: `${clash.name} exists already`, code: 'custom' }] });
    ctx.store.events.transaction(() => {
      const before = q.get(program.id);
      if (before && sameProgram(before, program)) return;
      ctx.store.events.append('program_upserted', program, { actorId: ctx.actorId });
    });
    return q.get(program.id)!;
  },
};

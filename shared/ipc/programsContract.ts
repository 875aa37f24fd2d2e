import { z } from 'zod';
import { Id } from '../schemas/common';
import { Program } from '../schemas/programs';

/** Issue #21: programmes as master data. HQ plans them (tour planning pages, CLI); desks list them for consultations. */
export const programsContract = {
  /** Every programme, or (with `institutionId`) the institution's own and the national ones. */
  'programs:list': { input: z.object({ institutionId: Id.optional() }), output: z.array(Program) },
  /** Adds (no `id`) or changes a programme; an upsert that changes nothing writes no event. */
  'program:upsert': { input: Program.extend({ id: Id.optional() }), output: Program },
} as const;

import { z } from 'zod';
import { Id } from '../schemas/common';
import { Booth, Institution, Stop, Tour } from '../schemas/masterData';

export const BoothView = Booth.extend({ institution: Institution });
export type BoothView = z.infer<typeof BoothView>;

export const masterDataContract = {
  'tour:get': { input: z.object({}), output: Tour.nullable() },
  'stops:list': { input: z.object({}), output: z.array(Stop) },
  'institutions:list': { input: z.object({}), output: z.array(Institution) },
  'booths:list': { input: z.object({ stopId: Id }), output: z.array(BoothView) },
} as const;

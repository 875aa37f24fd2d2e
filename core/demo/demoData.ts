import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Institution, Stop, Tour } from '../../shared/schemas/masterData';
import { Program } from '../../shared/schemas/programs';

export const DemoTour = z.object({ tour: Tour, stops: z.array(Stop.omit({ tourId: true })) });
export const DemoPeople = z.object({
  koreanFamily: z.array(z.tuple([z.string(), z.string()])),
  koreanGiven: z.array(z.tuple([z.string(), z.string()])),
  otherFamily: z.array(z.string()),
  otherGiven: z.array(z.string()),
  affiliations: z.array(z.string()),
});

export interface DemoData {
  tour: z.infer<typeof DemoTour>;
  institutions: Institution[];
  /** Programmes (issue #21): national ones (Brain to Korea, InnoCORE's eight AI research groups) and institutions' own. */
  programs: Program[];
  people: z.infer<typeof DemoPeople>;
}

/** Reads the demo data shipped in resources/demo (facts from shared/DOMAIN.md). */
export function loadDemoData(resourcesDir: string): DemoData {
  const read = (name: string): unknown => JSON.parse(readFileSync(path.join(resourcesDir, 'demo', name), 'utf8'));
  return {
    tour: DemoTour.parse(read('tour.json')),
    institutions: z.array(Institution).parse(read('institutions.json')),
    programs: z.array(Program).parse(read('programs.json')),
    people: DemoPeople.parse(read('people.json')),
  };
}

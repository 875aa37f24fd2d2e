import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../core/demo/demoData';
import { buildDemoEvents } from '../../../core/demo/seedDemo';
import { RESOURCES_DIR } from '../../helpers/testStore';

describe('demo programmes (issue #21)', () => {
  const data = loadDemoData(RESOURCES_DIR);

  it('ships Brain to Korea, InnoCORE’s eight AI research groups and institutions’ own programmes', () => {
    const national = data.programs.filter((p) => p.institutionId === null);
    expect(national.find((p) => p.name === 'Brain to Korea')).toMatchObject({ places: 2000, kind: 'fellowship' });
    const innocore = national.filter((p) => p.name.startsWith('InnoCORE'));
    expect(innocore).toHaveLength(8);
    expect(innocore.reduce((n, p) => n + (p.places ?? 0), 0)).toBe(400);
    const ids = new Set(data.institutions.map((i) => i.id));
    const own = data.programs.filter((p) => p.institutionId !== null);
    expect(own.every((p) => ids.has(p.institutionId!))).toBe(true);
    for (const short of ['KAIST', 'POSTECH', 'UNIST']) expect(own.some((p) => p.institutionId === data.institutions.find((i) => i.shortName === short)!.id)).toBe(true);
    expect(data.programs.every((p) => p.nameKo !== '')).toBe(true);
  });

  it('seeds them as HQ events after everything else, leaving every other demo event as it was; consultations name offered ones', () => {
    const withThem = buildDemoEvents(data, { attendees: 120 });
    const without = buildDemoEvents({ ...data, programs: [] }, { attendees: 120 });
    const programEvents = withThem.filter((e) => e.type === 'program_upserted');
    expect(programEvents).toHaveLength(data.programs.length);
    expect(programEvents.every((e) => e.deviceId === 'demo-hq')).toBe(true);
    // Same ids, devices, sequences and clocks for every other event: the demo's figures do not move.
    const shape = (e: (typeof withThem)[number]) => [e.eventId, e.deviceId, e.deviceSeq, e.hlc, e.type];
    expect(withThem.filter((e) => e.type !== 'program_upserted').map(shape)).toEqual(without.map(shape));

    const byId = new Map(data.programs.map((p) => [p.id, p]));
    const consultations = withThem.filter((e) => e.type === 'consultation_logged').map((e) => e.payload as { institutionId: string; content: { programIds: string[] } });
    expect(consultations.length).toBeGreaterThan(10);
    const named = consultations.flatMap((c) => c.content.programIds.map((id) => ({ c, p: byId.get(id) })));
    expect(named.length).toBeGreaterThan(consultations.length / 2);
    for (const { c, p } of named) {
      expect(p).toBeDefined();
      expect(p!.active).toBe(true);
      expect(p!.institutionId === null || p!.institutionId === c.institutionId).toBe(true);
    }
    expect(named.some(({ p }) => p!.name === 'Brain to Korea')).toBe(true);
    expect(named.some(({ p }) => p!.name.startsWith('InnoCORE'))).toBe(true);
    expect(named.some(({ p }) => p!.institutionId !== null)).toBe(true);
  });
});

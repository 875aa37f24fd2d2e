import { describe, expect, it } from 'vitest';
import { boothsAreDistant, generateSlots, localTimeOf, planProblem, zonedToUtcMs } from '../../../core/domain/boothSlots';

const plan = (startTime: string, endTime: string, slotMinutes: number, breaks: { start: string; end: string }[] = []) => ({ startTime, endTime, slotMinutes, breaks });
const labels = (slots: { localStart: string }[]) => slots.map((s) => s.localStart);

describe('booth slot generation', () => {
  it('lays out slots in the stop’s own time zone and stores UTC', () => {
    const ny = generateSlots(plan('13:00', '14:00', 15), '2025-11-14', 'America/New_York');
    expect(ny.map((s) => s.start)).toEqual(['2025-11-14T18:00:00.000Z', '2025-11-14T18:15:00.000Z', '2025-11-14T18:30:00.000Z', '2025-11-14T18:45:00.000Z']);
    expect(ny[3]!.end).toBe('2025-11-14T19:00:00.000Z');
    expect(labels(ny)).toEqual(['13:00', '13:15', '13:30', '13:45']);
    // Same plan, other zones: same wall clock, different instants.
    expect(generateSlots(plan('13:00', '14:00', 15), '2025-10-27', 'America/Los_Angeles')[0]!.start).toBe('2025-10-27T20:00:00.000Z');
    expect(generateSlots(plan('13:00', '14:00', 15), '2025-12-05', 'America/Chicago')[0]!.start).toBe('2025-12-05T19:00:00.000Z');
    expect(generateSlots(plan('09:00', '10:00', 30), '2025-11-14', 'Asia/Seoul')[0]!.start).toBe('2025-11-14T00:00:00.000Z');
  });

  it('leaves out breaks and resumes at the end of each break', () => {
    const slots = generateSlots(plan('13:00', '15:00', 15, [{ start: '13:40', end: '14:00' }, { start: '14:30', end: '14:35' }]), '2025-11-14', 'America/New_York');
    expect(labels(slots)).toEqual(['13:00', '13:15', '14:00', '14:15', '14:35']);
    expect(slots.at(-1)!.localEnd).toBe('14:50');
  });

  it('drops a last slot that would run past the end', () => {
    expect(labels(generateSlots(plan('13:00', '13:50', 20), '2025-11-14', 'America/New_York'))).toEqual(['13:00', '13:20']);
  });

  it('keeps real 30-minute slots through the repeated hour of a fall-back day', () => {
    // 2 Nov 2025: New York clocks go from 01:59 EDT back to 01:00 EST.
    const slots = generateSlots(plan('00:30', '03:00', 30), '2025-11-02', 'America/New_York');
    expect(labels(slots)).toEqual(['00:30', '01:00', '01:30', '01:00', '01:30', '02:00', '02:30']);
    for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(30 * 60_000);
    expect(slots[0]!.start).toBe('2025-11-02T04:30:00.000Z');
    expect(slots.at(-1)!.end).toBe('2025-11-02T08:00:00.000Z');
  });

  it('skips the missing hour of a spring-forward day', () => {
    // 9 Mar 2025: New York clocks jump from 01:59 EST to 03:00 EDT.
    const slots = generateSlots(plan('01:00', '04:00', 30), '2025-03-09', 'America/New_York');
    expect(labels(slots)).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(slots[2]!.start).toBe('2025-03-09T07:00:00.000Z');
  });

  it('maps wall times that do not exist forward and ambiguous ones to the first occurrence', () => {
    expect(localTimeOf(zonedToUtcMs('2025-03-09', '02:30', 'America/New_York'), 'America/New_York')).toBe('03:30');
    expect(new Date(zonedToUtcMs('2025-11-02', '01:30', 'America/New_York')).toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('names what is wrong with a plan', () => {
    expect(planProblem(plan('13:00', '17:00', 15))).toBeNull();
    expect(planProblem(plan('17:00', '13:00', 15))).toBe('end_before_start');
    expect(planProblem(plan('13:00', '17:00', 15, [{ start: '12:00', end: '13:30' }]))).toBe('break_outside_hours');
    expect(planProblem(plan('13:00', '17:00', 15, [{ start: '14:00', end: '13:30' }]))).toBe('break_end_before_start');
    expect(planProblem(plan('13:00', '17:00', 15, [{ start: '14:00', end: '15:00' }, { start: '14:30', end: '15:30' }]))).toBe('breaks_overlap');
    expect(planProblem(plan('13:00', '13:10', 15))).toBe('no_slots');
  });

  it('tells distant booths apart from neighbours', () => {
    expect(boothsAreDistant('B01', 'B02')).toBe(false);
    expect(boothsAreDistant('B01', 'B12')).toBe(true);
    expect(boothsAreDistant('A03', 'B03')).toBe(true);
    expect(boothsAreDistant('', 'B03')).toBe(false);
  });
});

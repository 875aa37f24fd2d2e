import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openStore, type Store, type StoreOptions } from '../../core/store/openStore';
import { tempDir } from './testStore';

/** A laptop's store on a real SQLite file in a temporary folder. */
export function createLaptop(deviceId: string, opts: StoreOptions = {}): Store {
  return openStore(path.join(tempDir('roadshow-laptop-'), 'roadshow.sqlite'), { deviceId, ...opts });
}

/** Walk-in style activity: `n` attendees registered and checked in at one stop (4 events each), in one transaction. */
export function writeActivity(store: Store, n: number, opts: { stopId?: string; prefix?: string } = {}): { registrationIds: string[] } {
  const stopId = opts.stopId ?? 'stop-03-new-york';
  const registrationIds: string[] = [];
  store.events.transaction(() => {
    for (let i = 0; i < n; i++) {
      const attendeeId = randomUUID();
      const registrationId = randomUUID();
      registrationIds.push(registrationId);
      const meta = { stopId };
      store.events.append('attendee_registered', { attendeeId, familyName: 'Kim', givenName: `${opts.prefix ?? 'P'}${i}`, nameKo: '김민준', email: '', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] }, meta);
      store.events.append('consent_recorded', { consentId: randomUUID(), attendeeId, scope: 'hq_stats', institutionId: null, textVersion: '2025-1' }, meta);
      store.events.append('registration_created', { registrationId, attendeeId, stopId, source: 'walk_in', scanToken: `RS-${registrationId.slice(0, 8).toUpperCase()}` }, meta);
      store.events.append('checked_in', { registrationId, attendeeId, stopId, desk: store.deviceId }, meta);
    }
  });
  return { registrationIds };
}

export function eventCount(store: Store): number {
  return store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
}

import type { consentContract } from '../../shared/ipc/consentContract';
import { consentCovers } from '../domain/consentFilter';
import { perDb } from '../store/perDb';
import { createConsentQueries } from '../store/queries/consentQueries';
import { institutionScope } from './authorization';
import type { HandlerMap } from './handler';

const consentQ = perDb(createConsentQueries);

export const consentHandlers: HandlerMap<keyof typeof consentContract> = {
  'consent:history': ({ attendeeId }, ctx) => {
    const history = consentQ(ctx.store.db).history(attendeeId);
    // Booth staff learn only whether the person shares data with their own institution (as
    // consultations:attendeeConsent): the consent that applies, when it covers them; nothing else.
    const scope = institutionScope(ctx);
    if (scope === null) return history;
    return history.filter((c) => c.effective && consentCovers({ scope: c.scope, institutionId: c.institutionId, hlc: '' }, scope));
  },
};

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsentHistory } from '../components/ConsentHistory';
import { errorMessage } from '../i18n/errorMessage';
import { useConsentStore } from '../state/consentStore';

/** The person's consent history, loaded for the attendee shown (the check-in screen's history window). */
export function ConsentHistorySection({ attendeeId, timeZone }: { attendeeId: string; timeZone?: string }) {
  const { t } = useTranslation();
  const s = useConsentStore();
  useEffect(() => {
    void useConsentStore.getState().load(attendeeId);
  }, [attendeeId]);
  const mine = s.attendeeId === attendeeId;
  return <ConsentHistory entries={mine ? s.entries : null} error={mine && s.error ? errorMessage(t, s.error) : null} timeZone={timeZone} />;
}

import { Modal } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Attendee } from '../../shared/schemas/attendees';
import type { Stop } from '../../shared/schemas/masterData';
import { AttendeeEditForm } from '../components/AttendeeEditForm';
import { formatName } from '../i18n/formatName';
import { useAttendeeEditStore } from '../state/attendeeEditStore';
import { useCheckinStore } from '../state/checkinStore';

/** The desk's "correct details" dialog: edit, or resolve two desks' clash; then offer the badge reprint. */
export function AttendeeEditModal({ stop, onReprint }: { stop: Stop; onReprint(attendee: Attendee): void }) {
  const { t } = useTranslation();
  const e = useAttendeeEditStore();
  const after = async (attendee: Attendee) => {
    // The confirmation banner about this person shows the corrected details too, not the misspelling.
    const notice = useCheckinStore.getState().notice;
    if (notice && 'registration' in notice && notice.registration.attendee.id === attendee.id) {
      useCheckinStore.setState({ notice: { ...notice, registration: { ...notice.registration, attendee } } });
    }
    // The corrected name shows in the results and the counts at once; the conflict list follows.
    await Promise.all([useCheckinStore.getState().refresh(stop.id), e.loadFlagged(stop.id)]);
  };
  return (
    <Modal opened={e.editing !== null} onClose={e.close} title={e.editing ? t('attendeeEdit.title', { name: formatName(e.editing.attendee) }) : ''} size="lg">
      {e.editing && (
        <AttendeeEditForm
          key={`${e.editing.attendee.id}:${e.editing.conflicts.length > 0 ? 'conflict' : 'edit'}`}
          state={e.editing}
          busy={e.busy}
          error={e.error}
          saved={e.saved}
          timeZone={stop.timeZone}
          onSave={(values) => void e.save(values).then((r) => r && after(r.attendee))}
          onResolve={(values) => void e.resolve(values).then((r) => r && after(r.attendee))}
          onCancel={e.close}
          onReprint={() => {
            const attendee = e.editing!.attendee;
            e.close();
            onReprint(attendee);
          }}
        />
      )}
    </Modal>
  );
}

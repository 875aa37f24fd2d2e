import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errorMessage';
import { formatName, formatTime } from '../i18n/formatName';
import type { CheckinNotice } from '../state/checkinStore';

/** The large confirmation or warning at the door: readable from a step away. */
export function CheckinNoticeBanner({ notice, onClose }: { notice: CheckinNotice; onClose(): void }) {
  const { t, i18n } = useTranslation();
  if (notice.kind === 'error') {
    return (
      <Alert color="red" role="alert" withCloseButton onClose={onClose} closeButtonLabel="×">
        {errorMessage(t, notice.error)}
      </Alert>
    );
  }
  const r = notice.registration;
  const name = formatName(r.attendee);
  const body = {
    checked_in: { color: 'green', text: t('checkin.success', { name }) },
    walk_in: { color: 'green', text: t('walkIn.done', { name }) },
    undone: { color: 'blue', text: t('checkin.undone', { name }) },
    already: {
      color: 'orange',
      text: r.checkIn ? t('checkin.alreadyCheckedIn', { desk: r.checkIn.desk, time: formatTime(r.checkIn.at, i18n.language) }) : '',
    },
  }[notice.kind];
  return (
    <Alert color={body.color} role="status" withCloseButton onClose={onClose} closeButtonLabel="×">
      <Text size="xl" fw={700}>
        {name}
      </Text>
      <Text>{r.attendee.affiliation}</Text>
      <Text fw={600}>{body.text}</Text>
    </Alert>
  );
}

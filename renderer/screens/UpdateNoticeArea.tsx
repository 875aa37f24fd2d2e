import { useTranslation } from 'react-i18next';
import { UpdateBanner } from '../components/UpdateBanner';
import { updateNotice } from '../components/updateNotice';
import { errorMessage } from '../i18n/errorMessage';
import { useUpdatePolling, useUpdateStore } from '../state/updateStore';

/** Polls the desktop app's updater and shows its notice above the screen; browser mode shows nothing. */
export function UpdateNoticeArea() {
  const { t } = useTranslation();
  useUpdatePolling();
  const u = useUpdateStore();
  const notice = updateNotice(u.status, u.dismissedVersion);
  if (!notice) return null;
  return <UpdateBanner notice={notice} installing={u.busy === 'install'} error={u.error ? errorMessage(t, u.error) : null} onRestart={() => void u.install()} onLater={() => u.dismiss()} />;
}

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { StopClosePanel } from '../components/StopClosePanel';
import { selectCurrentStop, useAppStore } from '../state/appStore';
import { useHubStore } from '../state/hubStore';
import { useStopCloseStore } from '../state/stopCloseStore';

/** The closing check for the laptop's current stop, for the Sync screen: at HQ, and at the venue hub when this desk is joined to one. */
export function StopCloseSection() {
  const { i18n } = useTranslation();
  const stop = useAppStore(selectCurrentStop);
  const s = useStopCloseStore();
  const hubJoined = useHubStore((h) => h.status?.hubUrl != null && h.status.enrolled);
  useEffect(() => {
    if (useHubStore.getState().status === null) void useHubStore.getState().load();
  }, []);
  const name = stop ? `${stop.round} ${i18n.language === 'ko' && stop.cityKo ? stop.cityKo : stop.city}` : null;
  return (
    <StopClosePanel
      stopName={name}
      busy={s.busy}
      check={s.check}
      error={s.error}
      onCheck={() => stop && void s.run(stop.id, 'hq')}
      onCheckHub={hubJoined ? () => stop && void s.run(stop.id, 'hub') : undefined}
    />
  );
}

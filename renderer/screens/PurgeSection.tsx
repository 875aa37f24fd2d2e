import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { PurgePanel } from '../components/PurgePanel';
import { selectTourStops, useAppStore } from '../state/appStore';
import { useAuthStore } from '../state/authStore';
import { usePurgeStore } from '../state/purgeStore';

/** Settings → personal data on this laptop: the stop lead's purge (issue #19); other roles do not see it. */
export function PurgeSection() {
  const { i18n } = useTranslation();
  const app = useAppStore();
  const stops = selectTourStops(app);
  const p = usePurgeStore();
  const me = useAuthStore((s) => s.status?.signedIn ?? null);
  const enforced = useAuthStore((s) => s.status?.enforced ?? false);
  // 'retention.purge' (core/api/authorization.ts): stop leads and HQ admins.
  const lead = !enforced || me?.role === 'stop_lead' || me?.role === 'hq_admin';
  const ids = stops.map((s) => s.id).join(',');
  useEffect(() => {
    if (!lead) return;
    for (const s of stops) void usePurgeStore.getState().check(s.id);
  }, [lead, ids]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!lead) return null;
  const name = (s: (typeof stops)[number]) => `${s.round} ${i18n.language === 'ko' && s.cityKo ? s.cityKo : s.city}`;
  return (
    <PurgePanel
      stops={stops.map((s) => ({ stopId: s.id, name: name(s), check: p.checks[s.id] ?? null, checking: p.checking[s.id] ?? false, error: p.errors[s.id] ?? null }))}
      purging={p.purging}
      result={p.result}
      onCheck={(id) => void p.check(id)}
      onPurge={(id) => void p.purge(id)}
    />
  );
}

import { useBundleStore } from '../state/bundleStore';
import { BundlePanel } from '../components/BundlePanel';

/** The USB-bundle panel wired to its store, for the Sync screen. */
export function BundleSection() {
  const s = useBundleStore();
  return <BundlePanel busy={s.busy} exported={s.exported} report={s.report} error={s.error} onExport={(scope) => void s.exportBundle(scope)} onImport={(f) => void s.importBundle(f)} />;
}

import { Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BundlePanel } from '../components/BundlePanel';
import { useBundleStore } from '../state/bundleStore';
import { useCanConfigure } from '../state/permissions';

/**
 * The USB-bundle panel wired to its store, for the Sync screen. A bundle holds every event of the laptop
 * (consultation notes too), so only people who may configure the desk see it (core refuses the others).
 */
export function BundleSection() {
  const { t } = useTranslation();
  const s = useBundleStore();
  const allowed = useCanConfigure();
  if (!allowed) {
    return (
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bundle-title">
        <Title order={3} size="h4" id="bundle-title" mb="xs">
          {t('bundle.title')}
        </Title>
        <Text size="sm">{t('bundle.leadOnly')}</Text>
      </Paper>
    );
  }
  return <BundlePanel busy={s.busy} exported={s.exported} report={s.report} error={s.error} onExport={(scope) => void s.exportBundle(scope)} onImport={(f) => void s.importBundle(f)} />;
}

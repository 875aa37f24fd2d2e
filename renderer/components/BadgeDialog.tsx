import { Alert, Button, Group, Radio, Select, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BADGE_LAYOUTS, type BadgeLayout } from '../../shared/ipc/badgeLayouts';
import { errorMessage } from '../i18n/errorMessage';

export interface BadgeDialogProps {
  layout: BadgeLayout;
  /** The person the dialog was opened for, if any (else only the batch is offered). */
  personName: string | null;
  scope: 'person' | 'all';
  busy: boolean;
  error: unknown;
  onLayout(layout: BadgeLayout): void;
  onScope(scope: 'person' | 'all'): void;
  onPdf(): void;
  onPrint(): void;
  onClose(): void;
}

/** Choose a badge size and whom to print for; then print (dialog) or download a PDF. */
export function BadgeDialog(p: BadgeDialogProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {p.error !== null && p.error !== undefined && (
        <Alert color="red" role="alert">
          {errorMessage(t, p.error)}
        </Alert>
      )}
      <Select
        label={t('badges.layout')}
        data={BADGE_LAYOUTS.map((l) => ({ value: l, label: t(`badges.layouts.${l}`) }))}
        value={p.layout}
        onChange={(v) => v && p.onLayout(v as BadgeLayout)}
        allowDeselect={false}
      />
      <Radio.Group label={t('badges.scope')} value={p.scope} onChange={(v) => p.onScope(v as 'person' | 'all')}>
        <Stack gap={4} mt={4}>
          {p.personName && <Radio value="person" label={t('badges.scopePerson', { name: p.personName })} />}
          <Radio value="all" label={t('badges.scopeAll')} />
        </Stack>
      </Radio.Group>
      <Group justify="flex-end">
        <Button variant="default" onClick={p.onClose}>
          {t('desk.close')}
        </Button>
        <Button variant="light" onClick={p.onPdf} loading={p.busy}>
          {t('badges.pdf')}
        </Button>
        <Button onClick={p.onPrint} loading={p.busy}>
          {t('badges.print')}
        </Button>
      </Group>
    </Stack>
  );
}

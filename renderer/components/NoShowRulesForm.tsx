import { Alert, Button, Checkbox, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StopBoothSettingsFields } from '../../shared/schemas/noShow';

export interface NoShowRulesFormProps {
  settings: StopBoothSettingsFields;
  /** The save's failure, translated; the form keeps what was typed. */
  error: string | null;
  onCancel(): void;
  onSubmit(fields: StopBoothSettingsFields): void;
}

const DEFAULT_NO_SHOW = 10;
const DEFAULT_EXPIRY = 5;
const valid = (v: string | number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 120;

/** The stop lead's rules: automatic no-show N minutes into a slot, offers that expire after M minutes. */
export function NoShowRulesForm({ settings, error, onCancel, onSubmit }: NoShowRulesFormProps) {
  const { t } = useTranslation();
  const [auto, setAuto] = useState(settings.autoNoShowMinutes !== null);
  const [autoMin, setAutoMin] = useState<string | number>(settings.autoNoShowMinutes ?? DEFAULT_NO_SHOW);
  const [expire, setExpire] = useState(settings.offerExpiryMinutes !== null);
  const [expiryMin, setExpiryMin] = useState<string | number>(settings.offerExpiryMinutes ?? DEFAULT_EXPIRY);
  const [tried, setTried] = useState(false);
  const autoError = tried && auto && !valid(autoMin) ? t('noShow.minutesRange') : null;
  const expiryError = tried && expire && !valid(expiryMin) ? t('noShow.minutesRange') : null;
  return (
    <form
      aria-label={t('noShow.rules')}
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if ((auto && !valid(autoMin)) || (expire && !valid(expiryMin))) return;
        onSubmit({ autoNoShowMinutes: auto && valid(autoMin) ? autoMin : null, offerExpiryMinutes: expire && valid(expiryMin) ? expiryMin : null });
      }}
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('noShow.rulesIntro')}
        </Text>
        <Stack gap={6}>
          <Checkbox label={t('noShow.autoNoShow')} description={t('noShow.autoNoShowHelp')} checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} />
          <NumberInput label={t('noShow.autoNoShowMinutes')} value={autoMin} onChange={setAutoMin} min={1} max={120} disabled={!auto} error={autoError} w={240} ml={32} allowDecimal={false} />
        </Stack>
        <Stack gap={6}>
          <Checkbox label={t('noShow.offerExpiry')} description={t('noShow.offerExpiryHelp')} checked={expire} onChange={(e) => setExpire(e.currentTarget.checked)} />
          <NumberInput label={t('noShow.offerExpiryMinutes')} value={expiryMin} onChange={setExpiryMin} min={1} max={120} disabled={!expire} error={expiryError} w={240} ml={32} allowDecimal={false} />
        </Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('noShow.cancel')}
          </Button>
          <Button type="submit">{t('noShow.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { suggestRomanization } from '../util/romanizeName';

export interface RomanizationSuggestionProps {
  nameKo: string;
  onUse(names: { familyName: string; givenName: string }): void;
}

/**
 * For a name typed only in Hangul: the Latin family and given name it romanizes to, which the
 * person confirms (fills the fields, still editable) — so the badge and the exports have a name
 * every institution can read.
 */
export function RomanizationSuggestion({ nameKo, onUse }: RomanizationSuggestionProps) {
  const { t } = useTranslation();
  const s = suggestRomanization(nameKo);
  if (!s) return null;
  return (
    <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-blue-light)" role="region" aria-label={t('attendeeEdit.suggestTitle', { given: s.givenName, family: s.familyName })}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={700}>{t('attendeeEdit.suggestTitle', { given: s.givenName, family: s.familyName })}</Text>
          <Text size="sm">{t('attendeeEdit.suggestHint')}</Text>
          {s.familyNameRr && (
            <Text size="sm" c="dimmed">
              {t('attendeeEdit.suggestRr', { rr: s.familyNameRr, family: s.familyName })}
            </Text>
          )}
        </Stack>
        <Button size="xs" variant="filled" onClick={() => onUse({ familyName: s.familyName, givenName: s.givenName })} style={{ flexShrink: 0 }}>
          {t('attendeeEdit.suggestUse')}
        </Button>
      </Group>
    </Paper>
  );
}

import { Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type TourSource = 'hq' | 'hub' | 'bundle';

export interface NoTourStateProps {
  /** The signed-in person may set up sync (stop lead, HQ admin): the ways come with buttons to the Sync screen. */
  canSetUp: boolean;
  onGo(source: TourSource): void;
}

const SOURCES: readonly TourSource[] = ['hq', 'hub', 'bundle'];

/** A desk without any tour (started without the demo): what a tour is needed for and the three ways to get one. */
export function NoTourState({ canSetUp, onGo }: NoTourStateProps) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" radius="md" maw={760} component="section" aria-labelledby="no-tour-title">
      <Stack gap="md">
        <Title order={2} id="no-tour-title">
          {t('noTour.title')}
        </Title>
        <Text>{t('noTour.intro')}</Text>
        <List spacing="md" type="ordered">
          {SOURCES.map((s) => (
            <List.Item key={s}>
              <Stack gap={4}>
                <Text fw={600}>{t(`noTour.${s}.title`)}</Text>
                <Text size="sm">{t(`noTour.${s}.how`)}</Text>
                {canSetUp && (
                  <Group>
                    <Button size="xs" variant="light" onClick={() => onGo(s)}>
                      {t(`noTour.${s}.go`)}
                    </Button>
                  </Group>
                )}
              </Stack>
            </List.Item>
          ))}
        </List>
        {!canSetUp && (
          <Text fw={600} role="note">
            {t('noTour.askLead')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

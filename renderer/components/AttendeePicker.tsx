import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationView } from '../../shared/schemas/attendees';
import { formatName } from '../i18n/formatName';

export type AttendeeMode = 'scan' | 'search' | 'anonymous';

export interface AttendeePickerProps {
  mode: AttendeeMode;
  onModeChange(mode: AttendeeMode): void;
  selected: RegistrationView | null;
  onSelect(registration: RegistrationView | null): void;
  visitorLabel: string;
  onVisitorLabel(label: string): void;
  onScan(token: string): Promise<RegistrationView | null>;
  onSearch(query: string): Promise<RegistrationView[]>;
  error?: string;
}

/** Who the consultation is with: a scanned badge, a search result, or an anonymous visitor. */
export function AttendeePicker(p: AttendeePickerProps) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [notFound, setNotFound] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<RegistrationView[]>([]);
  const seq = useRef(0);

  async function scan() {
    const code = token.trim();
    if (!code) return;
    const found = await p.onScan(code);
    setNotFound(found ? null : code);
    if (found) {
      p.onSelect(found);
      setToken('');
    }
  }
  async function search(q: string) {
    setQuery(q);
    const n = ++seq.current;
    const found = q.trim() ? await p.onSearch(q) : [];
    if (n === seq.current) setResults(found);
  }

  if (p.selected) {
    const name = formatName(p.selected.attendee);
    return (
      <Paper withBorder p="sm" role="status" aria-label={t('consultations.form.attendee')}>
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text fw={600}>{t('consultations.form.selected', { name })}</Text>
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {[p.selected.attendee.affiliation, p.selected.attendee.email, p.selected.scanToken].filter(Boolean).join(' · ')}
            </Text>
          </Stack>
          <Button variant="subtle" onClick={() => p.onSelect(null)}>
            {t('consultations.form.change')}
          </Button>
        </Group>
      </Paper>
    );
  }

  return (
    <Stack gap="xs">
      <Text size="sm" fw={500} id="attendee-mode-label">
        {t('consultations.form.attendee')}
      </Text>
      <SegmentedControl
        aria-labelledby="attendee-mode-label"
        value={p.mode}
        onChange={(m) => p.onModeChange(m as AttendeeMode)}
        data={[
          { value: 'scan', label: t('consultations.form.modeScan') },
          { value: 'search', label: t('consultations.form.modeSearch') },
          { value: 'anonymous', label: t('consultations.form.modeAnonymous') },
        ]}
      />
      {p.mode === 'scan' && (
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('consultations.form.badge')}
            description={t('consultations.form.badgeHelp')}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void scan();
              }
            }}
            error={notFound ? t('consultations.form.notFound', { token: notFound }) : p.error}
            autoComplete="off"
            data-autofocus
          />
          <Button variant="light" onClick={() => void scan()}>
            {t('consultations.form.lookUp')}
          </Button>
        </Group>
      )}
      {p.mode === 'search' && (
        <Stack gap={4}>
          <TextInput label={t('consultations.form.search')} value={query} onChange={(e) => void search(e.currentTarget.value)} error={p.error} autoComplete="off" />
          <Stack role="list" aria-label={t('consultations.form.results')} gap={2}>
            {results.map((r) => {
              const name = formatName(r.attendee);
              return (
                <Group key={r.registrationId} role="listitem" justify="space-between" wrap="nowrap">
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {name} · {r.attendee.affiliation}
                  </Text>
                  <Button size="xs" variant="light" onClick={() => p.onSelect(r)} aria-label={t('consultations.form.choose', { name })}>
                    {t('consultations.form.choose', { name: '' }).trim()}
                  </Button>
                </Group>
              );
            })}
          </Stack>
        </Stack>
      )}
      {p.mode === 'anonymous' && (
        <TextInput
          label={t('consultations.form.visitorLabel')}
          placeholder={t('consultations.form.visitorLabelPlaceholder')}
          value={p.visitorLabel}
          onChange={(e) => p.onVisitorLabel(e.currentTarget.value)}
        />
      )}
    </Stack>
  );
}

import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

export function UndoCheckInForm({ onSubmit, onCancel }: { onSubmit(reason: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError(t('errors.required'));
    onSubmit(reason.trim());
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('checkin.undoReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('walkIn.cancel')}
          </Button>
          <Button type="submit" color="red">
            {t('checkin.undoConfirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Button, Checkbox, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

export interface UndoCheckInFormProps {
  onSubmit(reason: string, alsoStop: boolean): void;
  onCancel(): void;
  /** At a session door, when the stop check-in was made with this one: offer to undo it too (off by default). */
  alsoStopLabel?: string;
}

export function UndoCheckInForm({ onSubmit, onCancel, alsoStopLabel }: UndoCheckInFormProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [alsoStop, setAlsoStop] = useState(false);
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError(t('errors.required'));
    onSubmit(reason.trim(), alsoStopLabel !== undefined && alsoStop);
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('checkin.undoReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} data-autofocus />
        {alsoStopLabel && <Checkbox label={alsoStopLabel} checked={alsoStop} onChange={(e) => setAlsoStop(e.currentTarget.checked)} />}
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

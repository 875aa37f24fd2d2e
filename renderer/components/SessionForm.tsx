import { Alert, Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StopSession } from '../../shared/schemas/masterData';
import { SESSION_KINDS, type SessionKind } from '../../shared/vocab';
import { fieldErrorText, formErrorText } from '../i18n/fieldError';

export type SessionFields = Omit<StopSession, 'id' | 'stopId' | 'cancelled'>;

export interface SessionFormProps {
  session: StopSession | null;
  timeZone: string;
  /** The last save's failure: a VALIDATION error shows beside the field it names. */
  error: unknown;
  onSubmit(fields: SessionFields): void;
  onCancel(): void;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const FIELDS = ['kind', 'title', 'titleKo', 'startTime', 'endTime', 'room', 'capacity'] as const;

/** A session of the stop: kind, titles, local start and end (the stop's zone), room, seats. */
export function SessionForm({ session, timeZone, error, onSubmit, onCancel }: SessionFormProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SessionKind>(session?.kind ?? 'policy_briefing');
  const [title, setTitle] = useState(session?.title ?? '');
  const [titleKo, setTitleKo] = useState(session?.titleKo ?? '');
  const [startTime, setStart] = useState(session?.startTime ?? '13:00');
  const [endTime, setEnd] = useState(session?.endTime ?? '14:00');
  const [room, setRoom] = useState(session?.room ?? '');
  const [capacity, setCapacity] = useState<number | string>(session?.capacity ?? '');
  const [touched, setTouched] = useState(false);
  const server = (f: string) => fieldErrorText(t, error, 'programme.invalid', f);
  const local = {
    title: touched && !title.trim() ? t('errors.required') : null,
    startTime: TIME.test(startTime) ? null : t('programme.timeFormat'),
    endTime: TIME.test(endTime) ? null : t('programme.timeFormat'),
  };
  const formError = formErrorText(t, error, FIELDS);

  return (
    <form
      aria-label={t(session ? 'programme.editForm' : 'programme.addForm')}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!title.trim() || local.startTime || local.endTime) return;
        onSubmit({ kind, title: title.trim(), titleKo: titleKo.trim(), startTime, endTime, room: room.trim(), capacity: capacity === '' ? null : Number(capacity) });
      }}
    >
      <Stack>
        <Select
          label={t('programme.kind')}
          data={SESSION_KINDS.map((k) => ({ value: k, label: t(`sessionKind.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as SessionKind)}
          allowDeselect={false}
          error={server('kind')}
        />
        <Group grow>
          <TextInput label={t('programme.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={local.title ?? server('title')} required />
          <TextInput label={t('programme.titleKo')} value={titleKo} onChange={(e) => setTitleKo(e.currentTarget.value)} error={server('titleKo')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('programme.start')}
            description={t('programme.localTo', { tz: timeZone })}
            value={startTime}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={local.startTime ?? server('startTime')}
            placeholder="13:00"
          />
          <TextInput
            label={t('programme.end')}
            description={t('programme.localTo', { tz: timeZone })}
            value={endTime}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={local.endTime ?? server('endTime')}
            placeholder="14:00"
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('programme.room')} value={room} onChange={(e) => setRoom(e.currentTarget.value)} error={server('room')} />
          <NumberInput label={t('programme.capacity')} description={t('programme.capacityHelp')} value={capacity} onChange={setCapacity} min={1} max={100000} error={server('capacity')} />
        </Group>
        {formError && (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('walkIn.cancel')}
          </Button>
          <Button type="submit">{t('programme.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

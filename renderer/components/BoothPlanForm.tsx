import { Button, Group, MultiSelect, NumberInput, Stack, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothPlan, BoothPlanFields } from '../../shared/schemas/booths';
import { RESEARCH_FIELDS, type ResearchField } from '../../shared/vocab';

export type PlanField = 'startTime' | 'endTime' | 'slotMinutes' | 'capacity' | 'breaks' | 'fields';

export interface BoothPlanFormProps {
  plan: BoothPlan | null;
  onSubmit(plan: BoothPlanFields): void;
  onCancel(): void;
  /** Fields above the plan's (a new booth's institution, code and staff). */
  leading?: ReactNode;
  /** False while those leading fields are not complete. */
  leadingValid?: boolean;
  submitLabel?: string;
  /** The form's accessible name. */
  label?: string;
  /** What the API said was wrong, beside the field it named. */
  errors?: Partial<Record<PlanField, string | null>>;
  /** Shown above the buttons (an error no field owns). */
  footer?: ReactNode;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "15:00-15:15, 16:30-16:40" ⇄ breaks; null when the text is not in that form. */
export function parseBreaks(text: string): BoothPlanFields['breaks'] | null {
  const parts = text.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean);
  const out: BoothPlanFields['breaks'] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m) return null;
    const [start, end] = [m[1]!.padStart(5, '0'), m[2]!.padStart(5, '0')];
    if (!TIME.test(start) || !TIME.test(end)) return null;
    out.push({ start, end });
  }
  return out;
}

export function BoothPlanForm({ plan, onSubmit, onCancel, leading, leadingValid = true, submitLabel, label, errors = {}, footer }: BoothPlanFormProps) {
  const { t } = useTranslation();
  const [startTime, setStart] = useState(plan?.startTime ?? '13:00');
  const [endTime, setEnd] = useState(plan?.endTime ?? '17:00');
  const [slotMinutes, setMinutes] = useState<number | string>(plan?.slotMinutes ?? 15);
  const [capacity, setCapacity] = useState<number | string>(plan?.capacity ?? 2);
  const [breaks, setBreaks] = useState(plan?.breaks.map((b) => `${b.start}-${b.end}`).join(', ') ?? '');
  const [fields, setFields] = useState<string[]>(plan?.fields ?? []);
  const parsedBreaks = parseBreaks(breaks);
  const timeError = (v: string) => (TIME.test(v) ? null : t('booths.plan.breaksHelp'));
  const valid = leadingValid && parsedBreaks !== null && TIME.test(startTime) && TIME.test(endTime) && Number(slotMinutes) >= 5 && Number(capacity) >= 1;

  return (
    <form
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        onSubmit({ startTime, endTime, slotMinutes: Number(slotMinutes), capacity: Number(capacity), breaks: parsedBreaks, fields: fields as ResearchField[] });
      }}
    >
      <Stack>
        {leading}
        <Group grow align="flex-start">
          <TextInput label={t('booths.plan.startTime')} value={startTime} onChange={(e) => setStart(e.currentTarget.value)} error={timeError(startTime) ?? errors.startTime} placeholder="13:00" />
          <TextInput label={t('booths.plan.endTime')} value={endTime} onChange={(e) => setEnd(e.currentTarget.value)} error={timeError(endTime) ?? errors.endTime} placeholder="17:00" />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('booths.plan.slotMinutes')} value={slotMinutes} onChange={setMinutes} min={5} max={240} step={5} error={errors.slotMinutes} />
          <NumberInput label={t('booths.plan.capacity')} value={capacity} onChange={setCapacity} min={1} max={50} error={errors.capacity} />
        </Group>
        <TextInput
          label={t('booths.plan.breaks')}
          description={t('booths.plan.breaksHelp')}
          value={breaks}
          onChange={(e) => setBreaks(e.currentTarget.value)}
          error={parsedBreaks === null ? t('booths.plan.breaksInvalid') : errors.breaks}
        />
        <MultiSelect label={t('booths.plan.fields')} data={RESEARCH_FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))} value={fields} onChange={setFields} clearable error={errors.fields} />
        {footer}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('walkIn.cancel')}
          </Button>
          <Button type="submit" disabled={!valid}>
            {submitLabel ?? t('booths.plan.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

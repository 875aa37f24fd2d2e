import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultationContent, ConsultationDetail } from '../../shared/schemas/consultations';
import type { Program } from '../../shared/schemas/programs';
import { errorMessage } from '../i18n/errorMessage';
import { programmesOffered, refusedProgrammes } from '../util/programmes';
import { ConsultationContentFields, validateConsultationContent } from './ConsultationContentFields';

export interface EditConsultationFormProps {
  detail: ConsultationDetail;
  staffOptions: string[];
  defaultEditor: string;
  /** Every programme this desk holds (issue #21); the form offers the institution's and the national ones. */
  programs?: Program[];
  /** The consultation's institution's short name, for the programmes' group label. */
  institutionName?: string;
  onSubmit(editor: string, content: ConsultationContent): Promise<unknown>;
  onCancel(): void;
}

/** Edits the current revision; the API records it as a new revision naming the one it edits. */
export function EditConsultationForm({ detail, staffOptions, defaultEditor, programs, institutionName, onSubmit, onCancel }: EditConsultationFormProps) {
  const { t } = useTranslation();
  const [content, setContent] = useState<ConsultationContent>(detail.content);
  const [editor, setEditor] = useState(defaultEditor || detail.content.staffName);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = { ...validateConsultationContent(content, t) };
    if (!editor.trim()) errs.editor = t('errors.required');
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit(editor.trim(), content);
    } catch (err) {
      if (refusedProgrammes(err)) setErrors((e) => ({ ...e, programIds: t('programmes.notOffered') }));
      else setFormError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={t('consultations.form.editTitle')} noValidate>
      <Stack gap="sm">
        <ConsultationContentFields
          value={content}
          onChange={(patch) => setContent((c) => ({ ...c, ...patch }))}
          errors={errors}
          staffOptions={staffOptions}
          // An edit keeps what the consultation names, retired programmes included.
          programmes={programs ? { offered: programmesOffered(programs, detail.institutionId, detail.content.programIds), institution: institutionName ?? null } : undefined}
        />
        <TextInput label={t('consultations.form.editor')} value={editor} onChange={(e) => setEditor(e.currentTarget.value)} error={errors.editor || undefined} required />
        {formError && (
          <Text c="red" role="alert">
            {formError}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('consultations.form.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('consultations.form.saveEdit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { EditConsultationForm } from '../../../renderer/components/EditConsultationForm';
import { emptyConsultationContent } from '../../../renderer/components/ConsultationContentFields';
import { ApiError } from '../../../renderer/api/apiClient';
import type { ConsultationDetail } from '../../../shared/schemas/consultations';
import type { Program } from '../../../shared/schemas/programs';
import { renderWithApp } from '../renderWithApp';

const program = (id: string, institutionId: string | null, name: string, nameKo: string, active = true): Program => ({ id, institutionId, name, nameKo, kind: 'postdoc', places: null, active });
const PROGRAMS: Program[] = [
  program('p-bk', null, 'Brain to Korea', '브레인 투 코리아'),
  program('p-kaist', 'inst-kaist', 'KAIST Postdoctoral Fellowship', 'KAIST 박사후연구원'),
  program('p-kaist-old', 'inst-kaist', 'KAIST Global Postdoc Call 2024', 'KAIST 글로벌 박사후연구원 2024년 공모', false),
  program('p-kaist-other-old', 'inst-kaist', 'KAIST Visiting Scholars 2023', 'KAIST 방문연구자 2023', false),
  program('p-postech', 'inst-postech', 'POSTECH Postdoctoral Researchers', 'POSTECH 박사후연구원'),
];

/** A consultation of KAIST logged before the programme it names was retired, with the earlier fixed list too. */
const detail = {
  consultationId: 'c1',
  institutionId: 'inst-kaist',
  currentRevisionId: '0190a0a0-0000-7000-8000-000000000001',
  content: { ...emptyConsultationContent('Park Jiwoo'), programs: ['innocore_postdoc'], programIds: ['p-kaist-old'] },
} as unknown as ConsultationDetail;

async function optionsOf(user: ReturnType<typeof userEvent.setup>, label: RegExp) {
  const input = screen.getByRole('textbox', { name: label });
  await user.click(input);
  return document.getElementById(input.getAttribute('aria-controls')!)!;
}

describe('the programmes of a consultation being edited (issue #21)', () => {
  it('offers the institution’s active programmes and the national ones, keeps a retired one it names, and shows the earlier list', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderWithApp(<EditConsultationForm detail={detail} staffOptions={[]} defaultEditor="Park Jiwoo" programs={PROGRAMS} institutionName="KAIST" onSubmit={onSubmit} onCancel={() => undefined} />);
    // The named, retired programme stays (marked), the earlier fixed list shows for this older consultation.
    const form = screen.getByRole('form', { name: 'Edit consultation' });
    expect(within(form).getByText('KAIST Global Postdoc Call 2024 (retired)')).toBeInTheDocument();
    expect(within(form).getByRole('group', { name: 'Programme interest (earlier list)' })).toBeInTheDocument();
    const listbox = await optionsOf(user, /Programmes discussed/);
    const names = within(listbox)
      .getAllByRole('option', { hidden: true })
      .map((o) => o.textContent);
    expect(names).toEqual(['KAIST Postdoctoral Fellowship', 'Brain to Korea']);
    await user.click(within(listbox).getByRole('option', { name: 'Brain to Korea', hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect((onSubmit.mock.calls[0]![1] as { programIds: string[] }).programIds).toEqual(['p-kaist-old', 'p-bk']);
  });

  it('says a refused programme beside the field, in Korean, keeping what was chosen', async () => {
    const user = userEvent.setup();
    const refusal = new ApiError({ code: 'VALIDATION', message: 'Programme X belongs to another institution', details: { issues: [{ path: 'content.programIds', message: 'x', code: 'custom' }] } });
    const onSubmit = vi.fn().mockRejectedValue(refusal);
    renderWithApp(<EditConsultationForm detail={detail} staffOptions={[]} defaultEditor="Park Jiwoo" programs={PROGRAMS} institutionName="KAIST" onSubmit={onSubmit} onCancel={() => undefined} />, { language: 'ko' });
    const listbox = await optionsOf(user, /상담한 프로그램/);
    expect(within(listbox).getByRole('option', { name: 'KAIST 박사후연구원', hidden: true })).toBeInTheDocument();
    expect(within(listbox).queryByRole('option', { name: 'POSTECH 박사후연구원', hidden: true })).toBeNull();
    await user.click(within(listbox).getByRole('option', { name: 'KAIST 박사후연구원', hidden: true }));
    await user.click(screen.getByRole('button', { name: '변경 사항 저장' }));
    const input = screen.getByRole('textbox', { name: /상담한 프로그램/ });
    await waitFor(() => expect(input).toHaveAccessibleDescription(/이 기관의 프로그램이나 국가 프로그램이 아닙니다/));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('KAIST 박사후연구원')).toBeInTheDocument();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configure } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsentWordingDetails } from '../../../renderer/components/ConsentWordingDetails';
import { LogConsultationForm } from '../../../renderer/components/LogConsultationForm';
import { WalkInForm } from '../../../renderer/components/WalkInForm';
import { CURRENT_CONSENT_TEXT_VERSION, consentWording } from '../../../shared/consentTexts';
import type { RegistrationView } from '../../../shared/schemas/attendees';
import type { Institution } from '../../../shared/schemas/masterData';
import { renderWithApp } from '../renderWithApp';
import { pick } from '../tour/tourTestKit';

configure({ asyncUtilTimeout: 8000 });
afterEach(() => vi.restoreAllMocks());

const wording = consentWording(CURRENT_CONSENT_TEXT_VERSION, 'en')!;
const wordingKo = consentWording(CURRENT_CONSENT_TEXT_VERSION, 'ko')!;

/** Issue #22: the forms start with nothing chosen and refuse a consent without the person's choice. */
describe('consent is the person’s choice (forms)', () => {
  it('walk-in: nothing chosen at first; refuses to submit without a choice, each error under its field; then sends the choice and text version', async () => {
    const onSubmit = vi.fn(async (_input: unknown) => undefined);
    renderWithApp(<WalkInForm stopId="stop-1" onSubmit={onSubmit} onCancel={() => undefined} />, { language: 'en' });
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Walk-in registration' });
    const consent = within(form).getByRole('group', { name: wording.title });
    // The statement comes first, then the choices, then the confirmation: the text matches the layout.
    const statement = within(consent).getByTestId('consent-statement');
    const firstRadio = within(consent).getAllByRole('radio')[0]!;
    expect(statement.compareDocumentPosition(firstRadio) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(statement).toHaveTextContent(wording.statement);
    // Nothing chosen in advance: no scope, no career stage, no confirmation. The desk offers no "this institution".
    expect(within(consent).getAllByRole('radio').map((r) => (r as HTMLInputElement).checked)).toEqual([false, false]);
    expect(within(consent).queryByRole('radio', { name: wording.scopes.institution })).toBeNull();
    expect(within(form).getByRole('textbox', { name: /^Career stage/ })).toHaveValue('');
    expect(within(consent).getByRole('checkbox', { name: wording.agreement })).not.toBeChecked();

    await user.type(within(form).getByRole('textbox', { name: 'Given name (Latin)' }), 'Ada');
    await user.click(within(form).getByRole('checkbox', { name: wording.agreement }));
    await user.click(within(form).getByRole('button', { name: 'Register and check in' }));
    expect(onSubmit).not.toHaveBeenCalled();
    // The error is inside the choice's own group, and under the career stage field.
    expect(within(consent).getByText('Ask the person and tick their choice: nothing is chosen for them.')).toBeInTheDocument();
    expect(within(form).getByRole('textbox', { name: /^Career stage/ })).toHaveAccessibleDescription(/Ask the person their career stage/);

    await pick(user, /^Career stage/, 'Postdoc', form);
    await user.click(within(consent).getByRole('radio', { name: wording.scopes.hq_stats }));
    await user.click(within(form).getByRole('button', { name: 'Register and check in' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ careerStage: 'postdoc', consentScope: 'hq_stats', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION });
  });

  it('walk-in in Korean: the statement, the choices and the confirmation in the Korean wording of the same version', async () => {
    renderWithApp(<WalkInForm stopId="stop-1" onSubmit={async () => undefined} onCancel={() => undefined} />, { language: 'ko' });
    const consent = screen.getByRole('group', { name: wordingKo.title });
    expect(within(consent).getByTestId('consent-statement')).toHaveTextContent(wordingKo.statement);
    expect(within(consent).getByRole('radio', { name: wordingKo.scopes.all_institutions })).not.toBeChecked();
    expect(within(consent).getByText(`동의서 ${CURRENT_CONSENT_TEXT_VERSION}`)).toBeInTheDocument();
  });

  it('booth: "record consent" starts unticked, even for a person without consent; ticked, it refuses to save without a choice', async () => {
    const person = {
      registrationId: 'reg-1',
      attendee: { id: 'att-1', familyName: 'Okafor', givenName: 'Ada', nameKo: '', email: 'ada@example.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: [] },
    } as unknown as RegistrationView;
    const kaist = { id: 'inst-kaist', name: 'KAIST', nameKo: '카이스트', shortName: 'KAIST', kind: 'university' } as Institution;
    const onSubmit = vi.fn(async (_input: unknown) => undefined);
    renderWithApp(
      <LogConsultationForm
        stopId="stop-1"
        timeZone="UTC"
        booths={[]}
        institutions={[kaist]}
        defaultInstitutionId={null}
        lockedInstitutionId="inst-kaist"
        defaultStaffName="Lee"
        onScan={async () => person}
        onSearch={async () => [person]}
        onConsent={async () => null}
        onSubmit={onSubmit}
        onCancel={() => undefined}
      />,
      { language: 'en' },
    );
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Log a consultation' });
    // Booth staff: their institution is chosen and locked, and the form says why.
    const institution = within(form).getByRole('textbox', { name: /^Institution/ });
    expect(institution).toBeDisabled();
    expect(institution).toHaveValue('KAIST · KAIST');
    expect(institution).toHaveAccessibleDescription('You log for your own institution only');

    await user.click(within(form).getByRole('textbox', { name: /Badge code/ }));
    await user.paste('TOKEN');
    await user.keyboard('{Enter}');
    await within(form).findByText(/Consulting Ada Okafor/);
    const record = within(form).getByRole('checkbox', { name: 'Record the person’s consent now' });
    expect(record).not.toBeChecked();
    expect(within(form).queryByRole('group', { name: wording.title })).toBeNull();

    await user.click(record);
    const consent = within(form).getByRole('group', { name: wording.title });
    expect(within(consent).getAllByRole('radio').map((r) => (r as HTMLInputElement).checked)).toEqual([false, false, false]);
    await user.click(within(form).getByRole('button', { name: 'Save consultation' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(within(consent).getByText('Ask the person and tick their choice: nothing is chosen for them.')).toBeInTheDocument();
    expect(within(consent).getByText('Confirm that the person read the text and chose.')).toBeInTheDocument();

    await user.click(within(consent).getByRole('radio', { name: wording.scopes.institution }));
    await user.click(within(consent).getByRole('checkbox', { name: wording.agreement }));
    await user.click(within(form).getByRole('button', { name: 'Save consultation' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ institutionId: 'inst-kaist', consent: { scope: 'institution', textVersion: CURRENT_CONSENT_TEXT_VERSION } });
  });
});

describe('the wording of a consent given in an imported registration form', () => {
  it('shows the form’s question kept with the consent', () => {
    const question = '개인정보 제3자(참여기관) 제공 동의';
    renderWithApp(<ConsentWordingDetails version="form-6c1f0a2e 개인정보 제3자(참여기관) 제공 동의" wording={question} />, { language: 'en' });
    expect(screen.getByText('Answered in the registration form (imported). The question was:')).toBeInTheDocument();
    expect(screen.getByText(question)).toBeInTheDocument();
    // Never "from a newer version of the app": the words are known.
    expect(screen.queryByText(/newer version/)).toBeNull();
  });

  it('names the question’s first words when the consent came without them (before they were kept)', () => {
    renderWithApp(<ConsentWordingDetails version="form-0a1b2c3d 개인정보 수집·이용 동의" />, { language: 'ko' });
    expect(screen.getByText('사전 등록 양식에서 답한 동의입니다(가져오기). 질문의 시작: “개인정보 수집·이용 동의”')).toBeInTheDocument();
  });
});

import { ACCOUNT_ACTIVITY_ACTIONS, type AccountActivityDetails } from '@rehearse/shared/contracts';
import { ACTIVITY_KINDS, describeActivity } from './activity-words';

describe('activity words', () => {
  const day = (iso: string) => `[${iso}]`;
  const details: AccountActivityDetails = {
    roles: ['participant'],
    previousRoles: ['coach'],
    licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' },
    previousLicence: { startsOn: '2025-01-01', expiresOn: '2025-12-31' },
    group: { id: 'g', name: 'Sales North' },
    membership: 'coach',
    course: { id: 'c', title: 'Handling complaints' },
    granted: true,
    receiptId: '7babc233-de26-4b19-aad1-b9c278128d5c',
    settings: ['enabled'],
    endsOn: '2030-06-30',
    previousEndsOn: '2030-03-31',
    reason: 'Restored from the backup of 5 December',
    brokenAtId: '884213',
  };

  it('every kind of change has a name for the filter and a sentence of its own, never its code', () => {
    const sentences = ACCOUNT_ACTIVITY_ACTIONS.map((action) => describeActivity({ action, details }, day));
    for (const [i, action] of ACCOUNT_ACTIVITY_ACTIONS.entries()) {
      expect(ACTIVITY_KINDS[action]).toBeTruthy();
      expect(sentences[i]).not.toContain(action);
      expect(sentences[i]).not.toContain('undefined');
    }
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  it('says the details each change carries', () => {
    expect(describeActivity({ action: 'user.created_at_sign_in', details: { roles: ['participant'] } }, day)).toBe(
      "Account made at the first sign-in with the organisation's single sign-on, as Participant",
    );
    expect(describeActivity({ action: 'user.licence_changed', details }, day)).toBe(
      'Changed the licence from [2025-01-01] – [2025-12-31] to [2026-01-01] – [2026-12-31]',
    );
    expect(
      describeActivity(
        { action: 'user.licence_changed', details: { previousLicence: null, licence: details.licence } },
        day,
      ),
    ).toBe('Gave a licence for [2026-01-01] – [2026-12-31]');
    expect(
      describeActivity(
        { action: 'organisation.agreement_changed', details: { previousEndsOn: '2030-03-31', endsOn: null } },
        day,
      ),
    ).toBe("Took away the end of the organisation's agreement (it was to end on [2030-03-31])");
    expect(describeActivity({ action: 'organisation.created', details: { passwordComplexity: false } }, day)).toBe(
      'Registered the organisation',
    );
    expect(describeActivity({ action: 'organisation.created', details: { passwordComplexity: true } }, day)).toBe(
      'Registered the organisation, whose passwords must mix upper- and lower-case letters, digits and symbols',
    );
    // a person's enrolment names the course; a group's the group too
    const course = { id: 'c', title: 'Handling complaints' };
    expect(describeActivity({ action: 'enrolment.added', details: { course } }, day)).toBe(
      'Enrolled in the course Handling complaints',
    );
    expect(describeActivity({ action: 'enrolment.ended', details: { course } }, day)).toBe(
      'Ended the enrolment in the course Handling complaints',
    );
    expect(describeActivity({ action: 'enrolment.added', details }, day)).toBe(
      'Enrolled the group Sales North in the course Handling complaints',
    );
    expect(describeActivity({ action: 'enrolment.ended', details }, day)).toBe(
      "Ended the group Sales North's enrolment in the course Handling complaints",
    );
    expect(describeActivity({ action: 'organisation.privacy_log_accepted', details }, day)).toBe(
      'Accepted the privacy log as it is after the nightly check found it changed or cut short at entry 884213: “Restored from the backup of 5 December”',
    );
    expect(describeActivity({ action: 'user.erased', details }, day)).toBe(
      'Erased a person for good (deletion receipt 7babc233)',
    );
  });
});

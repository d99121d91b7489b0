import { licenceState } from './licence-state';

describe('licenceState', () => {
  const licence = { startsOn: '2026-10-01', expiresOn: '2027-01-04' };

  it('has ended on its end day and after it (answers hidden from then on, as the API decides)', () => {
    expect(licenceState(licence, '2027-01-04')).toEqual({ kind: 'ended', days: 0 });
    expect(licenceState(licence, '2027-02-03')).toEqual({ kind: 'ended', days: 30 });
  });

  it('ends soon within the warning days, and runs before them', () => {
    expect(licenceState(licence, '2027-01-03')).toEqual({ kind: 'ending', days: 1 });
    expect(licenceState(licence, '2026-12-05')).toEqual({ kind: 'ending', days: 30 });
    expect(licenceState(licence, '2026-12-04')).toEqual({ kind: 'running', days: 31 });
    expect(licenceState(licence, '2026-10-01')).toEqual({ kind: 'running', days: 95 });
  });

  it('has not begun before its first day; none without a licence', () => {
    expect(licenceState(licence, '2026-09-30')).toEqual({ kind: 'upcoming', days: 1 });
    expect(licenceState(null, '2026-12-05')).toBeNull();
  });
});

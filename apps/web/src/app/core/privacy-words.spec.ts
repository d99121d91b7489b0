import { describeRead } from './privacy-words';

describe('describeRead', () => {
  it('says what happened in words, and falls back to readable codes for new kinds', () => {
    expect(describeRead('list', 'user_profile')).toBe('Saw the profile in a list');
    expect(describeRead('view', 'group_member')).toBe('Opened the group membership');
    expect(describeRead('search', 'transcript')).toBe('Found the transcript in a search');
    expect(describeRead('captions', 'transcript')).toBe('Read the captions');
    expect(describeRead('impersonation_start', 'account')).toBe('Signed in as this person (support)');
    expect(describeRead('archive', 'course_version')).toBe('Archive course version');
  });
});

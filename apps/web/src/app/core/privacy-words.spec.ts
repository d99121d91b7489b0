import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { describeRead, PrivacyRead, privacyObjectLink } from './privacy-words';

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

describe('privacyObjectLink and rh-privacy-read: which answer or recording a row is about', () => {
  it('links answers and their feedback to the answer, recordings and what is read from them to the recording', () => {
    expect(privacyObjectLink('answer', 'a1')).toEqual(['/answers', 'a1']);
    expect(privacyObjectLink('feedback', 'a1')).toEqual(['/answers', 'a1']);
    for (const t of ['recording', 'transcript', 'ai_report'])
      expect(privacyObjectLink(t, 'r1')).toEqual(['/recordings', 'r1']);
    // a group's progress, a profile, an export: no page of its own to open
    for (const t of ['course_progress', 'user_profile', 'data_export', 'account'])
      expect(privacyObjectLink(t, 'x')).toBeNull();
  });

  it('renders the words as a link where there is a page, as text where there is none', async () => {
    await TestBed.configureTestingModule({
      imports: [PrivacyRead],
      providers: [provideZonelessChangeDetection(), provideRouter([])],
    }).compileComponents();
    const played = TestBed.createComponent(PrivacyRead);
    played.componentRef.setInput('entry', { action: 'play', objectType: 'recording', objectId: 'r1' });
    await played.whenStable();
    const a = (played.nativeElement as HTMLElement).querySelector('a');
    expect(a?.textContent?.trim()).toBe('Played the recording');
    expect(a?.getAttribute('href')).toBe('/recordings/r1');
    const listed = TestBed.createComponent(PrivacyRead);
    listed.componentRef.setInput('entry', { action: 'list', objectType: 'user_profile', objectId: 'u1' });
    await listed.whenStable();
    expect((listed.nativeElement as HTMLElement).querySelector('a')).toBeNull();
    expect((listed.nativeElement as HTMLElement).textContent?.trim()).toBe('Saw the profile in a list');
  });

  it("says why the operator's support signed in as the person, where the row gives the reason", async () => {
    await TestBed.configureTestingModule({
      imports: [PrivacyRead],
      providers: [provideZonelessChangeDetection(), provideRouter([])],
    }).compileComponents();
    const text = async (supportReason: string | null) => {
      const read = TestBed.createComponent(PrivacyRead);
      read.componentRef.setInput('entry', {
        action: 'impersonation_start',
        objectType: 'impersonation',
        objectId: 'i1',
        supportReason,
      });
      await read.whenStable();
      return ((read.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ').trim();
    };
    expect(await text('Ticket 4711: Pim cannot see his feedback')).toBe(
      'Signed in as this person (support), because: “Ticket 4711: Pim cannot see his feedback”',
    );
    // a start logged before rows named the impersonation, or one whose reason was erased
    expect(await text(null)).toBe('Signed in as this person (support)');
  });
});

import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Component, provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import type { Me } from '@rehearse/shared/contracts';
import { App } from './app';
import { SessionStore } from './core/session.store';
import { button, settle } from '../testing/page-testing';
import { KeptRecordings } from './features/recordings/kept-recordings';

@Component({ template: '' })
class Blank {}

const ADMINISTRATOR = [
  'reports.read',
  'transcripts.search',
  'groups.manage',
  'users.read',
  'privacy.read',
  'tenant.write',
] as const;

describe('App (the menu)', () => {
  let fixture: ComponentFixture<App>;
  let el: HTMLElement;
  let http: HttpTestingController;

  const signIn = async (permissions: readonly string[]) => {
    TestBed.inject(SessionStore).set({ id: 'a', name: 'Anna Admin', roles: [], permissions } as unknown as Me);
    await settle();
    // the retention banner asks about the person's own licence
    for (const r of http.match(() => true)) r.flush({ items: [] });
    await settle();
  };
  const entries = () =>
    Array.from(el.querySelectorAll<HTMLElement>('nav[aria-label=Main] > a, nav[aria-label=Main] > button')).map((a) =>
      a.textContent?.replace(/\s+/g, ' ').trim(),
    );
  const menuLinks = () =>
    Array.from(document.querySelectorAll<HTMLAnchorElement>('.mat-mdc-menu-panel a[mat-menu-item]')).map((a) => ({
      text: a.textContent?.trim(),
      href: a.getAttribute('href'),
      current: a.getAttribute('aria-current'),
    }));

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', component: Blank }]),
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(App);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => {
    for (const r of http.match(() => true)) r.flush({ items: [] });
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
  });

  it('gives an administrator six entries, the organisation’s settings in one menu of three pages', async () => {
    await signIn(ADMINISTRATOR);
    expect(entries()).toEqual(['Reports', 'Search answers', 'Groups', 'People', 'Privacy log', 'Settings▾']);
    const trigger = button(el, 'Settings');
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    trigger.click();
    await settle();
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    expect(menuLinks().map(({ text, href }) => ({ text, href }))).toEqual([
      { text: 'Feedback settings', href: '/admin/feedback-settings' },
      { text: 'Retention', href: '/admin/retention' },
      { text: 'Sign-in', href: '/admin/sso' },
    ]);
  });

  it('closes the settings menu when the page changes without it (Back, Forward)', async () => {
    await signIn(ADMINISTRATOR);
    const trigger = button(el, 'Settings');
    trigger.click();
    await settle();
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    await TestBed.inject(Router).navigateByUrl('/reports');
    await settle();
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    // the panel leaves once its closing animation has run (longer while other tests load the machine)
    for (let i = 0; i < 50 && menuLinks().length > 0; i++) await settle(1);
    expect(menuLinks()).toEqual([]);
  });

  it('marks the settings menu as where the reader is on one of its pages, and that page inside it', async () => {
    await signIn(ADMINISTRATOR);
    const trigger = button(el, 'Settings');
    expect(trigger.classList).not.toContain('active');
    await TestBed.inject(Router).navigateByUrl('/admin/retention?page=2');
    await settle();
    expect(trigger.classList).toContain('active');
    // and shown as such: the background the other entries have when they are where the reader is
    const people = Array.from(el.querySelectorAll<HTMLElement>('nav a')).find((a) =>
      a.textContent?.includes('People'),
    )!;
    expect(getComputedStyle(trigger).backgroundColor).not.toBe(getComputedStyle(people).backgroundColor);
    trigger.click();
    await settle();
    expect(menuLinks().find((l) => l.current === 'page')?.text).toBe('Retention');
    await TestBed.inject(Router).navigateByUrl('/admin/retention-other');
    await settle();
    expect(trigger.classList).not.toContain('active');
    await TestBed.inject(Router).navigateByUrl('/reports');
    await settle();
    expect(trigger.classList).not.toContain('active');
    expect(el.querySelector('nav a.active')?.textContent?.trim()).toBe('Reports');
  });

  it('shows no settings menu to someone who may not change the organisation', async () => {
    await signIn(['courses.learn']);
    expect(entries()).toEqual(['My courses', 'Peer reviews']);
    expect(el.textContent).not.toContain('Settings');
  });

  it('signing out forgets the recordings this browser kept and the uploads it would resume (the next person at it finds none)', async () => {
    const kept = TestBed.inject(KeptRecordings);
    localStorage.setItem(
      'tus::rehearse-upload:a:answer:answer.wav:2880078:1764892800000::1',
      '{"uploadUrl":"/api/uploads/x"}',
    );
    localStorage.setItem('rehearse-other-setting', 'stays');
    const key = 'a:course:exercise';
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['an answer never sent']));
    await signIn(['courses.learn']);
    expect(await kept.find(key)).not.toBeNull();
    button(el, 'Sign out').click();
    await settle();
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(await kept.find(key)).toBeNull();
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tus::'))).toEqual([]);
    expect(localStorage.getItem('rehearse-other-setting')).toBe('stays');
    localStorage.removeItem('rehearse-other-setting');
  });
});

import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Address } from './address';

@Component({
  imports: [Address],
  template: `<div [style.width.px]="width()" style="font: 16px monospace"><rh-address [value]="email()" /></div>`,
})
class Host {
  readonly email = signal('participant@demo.rehearse.local');
  readonly width = signal(1000);
}

describe('Address', () => {
  function render(): { host: Host; el: HTMLElement; fixture: ReturnType<typeof TestBed.createComponent<Host>> } {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    return { host: fixture.componentInstance, el: fixture.nativeElement as HTMLElement, fixture };
  }

  /** the text of each line the address is drawn on */
  function lines(el: HTMLElement): string[] {
    const out = new Map<number, string>();
    const range = document.createRange();
    const walker = document.createTreeWalker(el.querySelector('rh-address')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        out.set(top, (out.get(top) ?? '') + node.data[i]);
      }
    }
    return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  }

  it('reads and copies as the address, with a break allowed after its "@" and each dot only', () => {
    const { el } = render();
    const address = el.querySelector('rh-address')!;
    expect(address.textContent).toBe('participant@demo.rehearse.local');
    expect(address.querySelectorAll('wbr').length).toBe(3);
    expect(lines(el)).toEqual(['participant@demo.rehearse.local']);
  });

  it('breaks in a narrow column after the "@" and the dots, not a letter or two before the end', () => {
    const { host, el, fixture } = render();
    // 16 characters of a monospace font: "participant@demo" does not fit, nor does "demo.rehearse.local"
    host.width.set(16 * 9.7);
    fixture.detectChanges();
    expect(lines(el)).toEqual(['participant@', 'demo.rehearse.', 'local']);
  });

  it('still breaks a part longer than its line rather than running past it', () => {
    const { host, el, fixture } = render();
    host.email.set('averyveryverylongname@x.example');
    host.width.set(10 * 9.7);
    fixture.detectChanges();
    const drawn = lines(el);
    expect(drawn.join('')).toBe('averyveryverylongname@x.example');
    expect(drawn.length).toBeGreaterThan(2);
    expect(el.querySelector('div')!.scrollWidth).toBeLessThanOrEqual(Math.ceil(10 * 9.7) + 1);
  });

  it('follows a changed address', () => {
    const { host, el, fixture } = render();
    host.email.set('ada@northwind.example');
    fixture.detectChanges();
    expect(el.querySelector('rh-address')!.textContent).toBe('ada@northwind.example');
    expect(el.querySelectorAll('wbr').length).toBe(2);
  });
});

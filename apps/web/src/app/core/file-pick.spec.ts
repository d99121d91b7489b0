import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { FilePick } from './file-pick';

describe('FilePick', () => {
  async function create(inputs: Record<string, unknown> = {}) {
    await TestBed.configureTestingModule({
      imports: [FilePick],
      providers: [provideZonelessChangeDetection()],
    }).compileComponents();
    const fixture = TestBed.createComponent(FilePick);
    fixture.componentRef.setInput('label', 'Choose a CSV file');
    fixture.componentRef.setInput('accept', '.csv,text/csv');
    for (const [k, v] of Object.entries(inputs)) fixture.componentRef.setInput(k, v);
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const input = el.querySelector<HTMLInputElement>('input[type=file]') as HTMLInputElement;
    const button = el.querySelector<HTMLButtonElement>('button') as HTMLButtonElement;
    return { fixture, el, input, button };
  }

  function choose(input: HTMLInputElement, file: File): void {
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
  }

  it('is a button in the page’s language that opens the file dialog; the browser’s own control is out of sight and reach', async () => {
    const { input, button } = await create();
    expect(button.textContent?.trim()).toBe('Choose a CSV file');
    expect(input.accept).toBe('.csv,text/csv');
    expect(input.tabIndex).toBe(-1);
    expect(input.getAttribute('aria-hidden')).toBe('true');
    expect(input.classList).toContain('sr-only');
    const opened = spyOn(input, 'click');
    button.click();
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('gives the chosen file, shows its name, and gives the same file again when it is chosen again', async () => {
    const { fixture, el, input } = await create();
    const picked: File[] = [];
    fixture.componentInstance.picked.subscribe((f) => picked.push(f));
    const file = new File(['name,email,role\n'], 'people.csv', { type: 'text/csv' });
    choose(input, file);
    await fixture.whenStable();
    expect(picked).toEqual([file]);
    expect(el.textContent).toContain('people.csv');
    // emptied, so that the browser reports the same file chosen again as a change
    expect(input.value).toBe('');
    choose(input, file);
    expect(picked).toEqual([file, file]);
  });

  it('gives nothing when the dialog is closed without a file, and nothing while disabled', async () => {
    const { fixture, el, input, button } = await create({ disabled: true });
    const picked: File[] = [];
    fixture.componentInstance.picked.subscribe((f) => picked.push(f));
    input.dispatchEvent(new Event('change'));
    expect(picked).toEqual([]);
    expect(el.querySelector('.name')).toBeNull();
    expect(button.disabled).toBeTrue();
    expect(input.disabled).toBeTrue();
  });
});

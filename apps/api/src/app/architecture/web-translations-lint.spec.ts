import { lintSource, stopLinting } from '../../test/lint';

/**
 * Every word of the web app's templates is marked for translation (eslint.config.mjs,
 * @angular-eslint/template/i18n over inline templates too): a text, a label or a placeholder left
 * unmarked would stay English on a Dutch page, and no translation check could see it.
 */
describe('the translation lint rule', () => {
  afterAll(() => stopLinting());
  const component = (template: string) =>
    `import { Component } from '@angular/core';\n@Component({ selector: 'rh-new-thing', template: \`${template}\` })\nexport class NewThing {}\n`;
  const file = 'apps/web/src/app/features/new-thing.ts';

  it('refuses words a reader sees that are not marked, in an inline template', async () => {
    const unmarked = await lintSource(
      file,
      component('<p>Nothing here yet</p><button aria-label="Close">×</button><input placeholder="Your name" />'),
    );
    expect(unmarked.code).toBe(1);
    const found = unmarked.out.match(/(Each element containing text node|Attribute "[^"]+")/g);
    expect(found).toEqual(['Each element containing text node', 'Attribute "aria-label"', 'Attribute "placeholder"']);
  }, 60_000);

  it('takes them marked, and attributes that hold no words', async () => {
    const marked = await lintSource(
      file,
      component(
        '<p i18n>Nothing here yet</p><button i18n-aria-label aria-label="Close">×</button><input i18n-placeholder placeholder="Your name" /><th scope="col">{{ 3 }}</th>',
      ),
    );
    expect(marked).toEqual({ code: 0, out: '' });
  }, 60_000);

  it("refuses words written as strings in a template's expressions, and takes a pipe's argument, a comparison or a key", async () => {
    const strings = await lintSource(
      file,
      component(
        `<p i18n>Ended: {{ x ? 'stopped' : 'running' }}, by {{ who ?? 'nobody' }}</p><button i18n mat-button [title]="open ? 'Close' : 'Open'">Go</button>`,
      ),
    );
    expect(strings.code).toBe(1);
    expect(strings.out.match(/written as a string in an expression/g)).toHaveLength(5);
    const fine = await lintSource(
      file,
      component(
        `<p i18n>Last sign-in @if (at) { {{ at | date: 'medium' }} } @else { never } · {{ state === 'done' ? a : b }} · {{ names['active'] }}</p>`,
      ),
    );
    expect(fine).toEqual({ code: 0, out: '' });
  }, 60_000);

  it('refuses words written in code under a key a reader sees (a page title, a chart label) unless $localize writes them', async () => {
    const code = (value: string) =>
      `export const routes = [{ path: 'x', title: ${value} }];\nexport const chart = { label: 'n' };\n`;
    const plain = await lintSource('apps/web/src/app/new.routes.ts', code("'Recording · Rehearse'"));
    expect(plain.code).toBe(1);
    expect(plain.out.match(/Words a reader sees/g)).toHaveLength(1);
    const untagged = await lintSource('apps/web/src/app/new.routes.ts', code('`Recording ${1}`'));
    expect(untagged.out.match(/Words a reader sees/g)).toHaveLength(1);
    expect(await lintSource('apps/web/src/app/new.routes.ts', code('$localize`Recording · Rehearse`'))).toEqual({
      code: 0,
      out: '',
    });
  }, 60_000);
});

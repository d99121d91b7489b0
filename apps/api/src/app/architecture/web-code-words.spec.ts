import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Words a reader sees that the web app's code (not its templates) writes: the lint rule holds the
 * templates to i18n, but a message built in TypeScript ("Deactivated; all sessions ended.", the
 * "feedback: … and …" of a course's exercises) stayed English on a Dutch page, and no check saw it.
 * Every such text goes through `$localize`. Found here: a string or template text outside
 * `$localize`, decorators (inline templates and styles, linted apart), imports and types, that
 * holds two words in a row, a lone capitalised word ending a sentence, one of "and", "or", "of",
 * "to" between spaces, or a word before a colon and a space ("feedback: "). Date patterns
 * (Angular's "d MMM yyyy"), media queries and the generated API client are not words.
 */
function unlocalisedWords(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const wordy = (t: string) =>
    !/^[dMLyHhmsaEG.,: ]+$/.test(t.trim()) &&
    !/^\([a-z-]+: [^)]*\)$/.test(t.trim()) &&
    (/[A-Za-z]{2,}[:,;.]? [A-Za-z]{2,}/.test(t) ||
      /^[A-Z][a-z]+[.…!?]$/.test(t.trim()) ||
      /\s(and|or|of|to)\s/.test(t) ||
      /[A-Za-z]{3,}: /.test(t));
  const visit = (node: ts.Node): void => {
    if (ts.isDecorator(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isTypeNode(node)) return;
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === '$localize') return;
    // what a programmer reads, not a reader: errors thrown and the console
    if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText())) return;
    if (ts.isCallExpression(node) && /^console\./.test(node.expression.getText())) return;
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? node.text
        : ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)
          ? node.text
          : null;
    if (text !== null && wordy(text)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${fileName}:${line + 1}: ${JSON.stringify(text)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'generated' && name !== 'testing') sources(path, out);
    } else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

describe("the web app's code writes no words outside $localize", () => {
  const root = join(__dirname, '../../../../..');

  it('finds words a reader would see in English on a Dutch page', () => {
    const code = [
      "const done = active ? 'Reactivated.' : 'Deactivated; all sessions ended.';",
      'const list = `${head} and ${last}`;',
      'const line = `feedback: ${list}`;',
      'const fine = $localize`Licence saved.`;',
      "const pattern = 'd MMM yyyy';",
      "const phone = matchMedia('(max-width: 700px)');",
      'const url = `/api/users/${id}/roles`;',
      "const header = 'Accept-Language';",
      "throw new Error('the middleware did not just set headers');",
    ].join('\n');
    expect(unlocalisedWords('x.ts', code)).toEqual([
      'x.ts:1: "Reactivated."',
      'x.ts:1: "Deactivated; all sessions ended."',
      'x.ts:2: " and "',
      'x.ts:3: "feedback: "',
    ]);
  });

  it('finds none in apps/web and libs/web', () => {
    const files = [...sources(join(root, 'apps/web/src')), ...sources(join(root, 'libs/web'))];
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => unlocalisedWords(relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});

/**
 * Every repository method takes the tenant first (issue 14), read from the server's syntax trees:
 * the first parameter of each public method of a class in a `*.repository.ts` file — after the
 * caller's transaction, where a method takes that first — is `tenantId`. A method that serves no
 * single organisation (a sweep over all of them, a superuser's, the sign-in that finds the
 * organisation, a job that names its row by id and finds the tenant on it) says so and why in its
 * comment with `@withoutTenant <why>`; docs/architecture.md lists the kinds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as TS from 'typescript';

const ROOT = join(__dirname, '../../../../..');

function repositoryFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') repositoryFiles(path, out);
    } else if (entry.name.endsWith('.repository.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The parameter names that are a caller's transaction (or the pool standing in for it). */
const MANAGER = new Set(['m', 'manager']);

/** Public methods of repository classes whose first parameter (after a leading transaction) is not `tenantId`, and that do not say why. */
function methodsWithoutTenant(ts: typeof TS, fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isClassDeclaration(node)) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        if (
          modifiers.some((mo) =>
            [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.StaticKeyword].includes(
              mo.kind,
            ),
          ) ||
          ts.isPrivateIdentifier(member.name)
        )
          continue;
        const names = member.parameters.map((p) => p.name.getText(source));
        const first = names.find((n, i) => !(i === 0 && MANAGER.has(n)));
        if (first === 'tenantId') continue;
        const why = ts
          .getJSDocTags(member)
          .find((t) => t.tagName.text === 'withoutTenant' && String(ts.getTextOfJSDocComment(t.comment) ?? '').trim());
        if (why) continue;
        const { line } = source.getLineAndCharacterOfPosition(member.getStart(source));
        found.push(`${fileName}:${line + 1}: ${node.name?.text}.${member.name.getText(source)}(${names.join(', ')})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('repository methods take the tenant first', () => {
  // the compiler, loaded for this file only
  const ts = require('typescript') as typeof TS;

  it('finds a method without the tenant, and accepts one with it, after a transaction, or one that says why not', () => {
    const code = `
      export class PeopleRepository {
        constructor(private readonly db: DataSource) {}
        async byId(tenantId: string, id: string) {}
        async append(m: EntityManager, tenantId: string, rows: Row[]) {}
        /** Every organisation's overdue rows. */
        async overdue(now: Date) {}
        /**
         * The sweep's rows.
         * @withoutTenant the sweep serves every organisation
         */
        async sweep(now: Date) {}
        /** @withoutTenant */
        async reasonless(id: string) {}
        async byEmail(m: EntityManager, email: string) {}
        private async helper(id: string) {}
      }`;
    expect(methodsWithoutTenant(ts, 'people.repository.ts', code)).toEqual([
      'people.repository.ts:7: PeopleRepository.overdue(now)',
      'people.repository.ts:14: PeopleRepository.reasonless(id)',
      'people.repository.ts:15: PeopleRepository.byEmail(m, email)',
    ]);
  });

  it('holds for every repository of the server', () => {
    const files = repositoryFiles(join(ROOT, 'libs/server'));
    // the repositories are where they are expected: a rename of the convention would empty this test
    expect(files.length).toBeGreaterThan(30);
    const found = files.flatMap((f) => methodsWithoutTenant(ts, relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});

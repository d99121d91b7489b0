/**
 * No second connection while holding one, read from the server's syntax trees: inside a
 * transaction's callback (`….transaction(async (m) => { … })`), every awaited call on a collaborator
 * (`await this.x.y(…)`) hands it the transaction (`m`). A collaborator that does not get it queries
 * through the pool and takes a second connection while the transaction holds the first: once as
 * many requests do that at once as the pool has connections, they wait for each other until the
 * pool's timeout (the download of an organisation's export did, found with DATABASE_POOL_SIZE=1;
 * README, "Running the tests with one connection to PostgreSQL").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as TS from 'typescript';

const ROOT = join(__dirname, '../../../../..');

function serverFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'testing', 'test', 'generated'].includes(entry.name)) serverFiles(path, out);
    } else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|medium-spec|e2e-spec)\.ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** `this.x.y(…)` awaited inside a transaction's callback without the callback's first parameter among its arguments. */
function callsWithoutTheTransaction(ts: typeof TS, fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const mentions = (node: TS.Node, name: string): boolean =>
    (ts.isIdentifier(node) && node.text === name) || !!ts.forEachChild(node, (c) => mentions(c, name) || undefined);
  const inside = (body: TS.Node, manager: string) => {
    const visit = (node: TS.Node): void => {
      if (ts.isAwaitExpression(node) && ts.isCallExpression(node.expression)) {
        const callee = node.expression.expression;
        if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isPropertyAccessExpression(callee.expression) &&
          callee.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
          !node.expression.arguments.some((a) => mentions(a, manager))
        ) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          found.push(`${fileName}:${line + 1}: ${callee.getText()}(…) without ${manager}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
  };
  const walk = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'transaction'
    ) {
      const callback = node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) as
        TS.ArrowFunction | TS.FunctionExpression | undefined;
      const first = callback?.parameters[0];
      if (callback && first && ts.isIdentifier(first.name)) inside(callback.body, first.name.text);
    }
    ts.forEachChild(node, walk);
  };
  walk(source);
  return found;
}

describe('transactions hand their connection on', () => {
  // the compiler, loaded for this file only
  const ts = require('typescript') as typeof TS;

  it('finds a collaborator awaited without the transaction, and accepts one given it', () => {
    const code = `
      class S {
        async a() {
          return this.db.transaction(async (m) => {
            const people = await this.organisations.people(tenantId);
            await this.privacy.recordMany(m, actor, people);
            await this.rows.insert({ manager: m }, 1);
            const now = this.clock.now();
          });
        }
      }`;
    expect(callsWithoutTheTransaction(ts, 'example.ts', code)).toEqual([
      'example.ts:5: this.organisations.people(…) without m',
    ]);
  });

  it('holds in every server library and app', () => {
    const files = [
      ...serverFiles(join(ROOT, 'libs/server')),
      ...serverFiles(join(ROOT, 'apps/api/src')),
      ...serverFiles(join(ROOT, 'apps/worker/src')),
    ];
    let transactions = 0;
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('.transaction(')) continue;
      transactions += (text.match(/\.transaction\(/g) ?? []).length;
      found.push(...callsWithoutTheTransaction(ts, relative(ROOT, file), text));
    }
    // the check reads the code it is meant for
    expect(transactions).toBeGreaterThan(30);
    expect(found).toEqual([]);
  });
});

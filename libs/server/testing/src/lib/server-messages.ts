/**
 * The messages the API can answer with, read from the server's source: the message arguments of
 * AppError and its helpers (badRequest, conflict, forbidden, notFound …), `message:` properties
 * (validation options, course problems, recording failures) and field `messages`. A message built
 * from a template literal comes back with {{p1}}, {{p2}} … where its parts vary.
 */
import type * as TS from 'typescript';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The TypeScript compiler, loaded when the messages are first read: every HTTP-tier test file
 * loads this library (the harness), and all but the translation check's would otherwise execute
 * typescript.js's 9 MB (about 0.2 s of CPU a file)
 */
let ts: typeof TS;

/** which argument is the message, per function */
const MESSAGE_ARGUMENT: Record<string, number> = {
  MediaError: 0,
  UnrecoverableMediaError: 0,
  AppError: 2,
  badRequest: 1,
  conflict: 0,
  forbidden: 0,
  unauthenticated: 0,
  tooManyRequests: 1,
  invalid: 0,
  refused: 1,
  sendError: 4,
};

/** Files whose messages are not API answers (operator configuration errors at start-up; the helpers' own defaults are in the catalogue by hand). */
const NOT_API = [
  /libs\/server\/core\/src\/lib\/config\.ts$/,
  /libs\/server\/core\/src\/lib\/errors\.ts$/,
  /\/testing\//,
  /apps\/api\/src\/test\//,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function textOf(node: TS.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.templateSpans.reduce((s, span, i) => `${s}{{p${i + 1}}}${span.literal.text}`, node.head.text);
  if (ts.isParenthesizedExpression(node)) return textOf(node.expression);
  return null;
}

/** Every message in the server's code, with where it is. */
export function serverMessages(root: string): Map<string, string> {
  ts ??= createRequire(__filename)('typescript') as typeof TS;
  const found = new Map<string, string>();
  const dirs = ['libs/server', 'apps/api/src', 'apps/worker/src'].map((d) => join(root, d));
  for (const file of dirs.flatMap(sourceFiles)) {
    const rel = relative(root, file);
    if (NOT_API.some((re) => re.test(rel))) continue;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (node: TS.Node | undefined) => {
      const text = node && textOf(node);
      // a message made only of its parts ("{{p1}} {{p2}}") is translated through its parts
      if (text && text.replace(/\{\{p\d+\}\}/g, '').trim())
        found.set(text, `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    };
    const visit = (node: TS.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        const args = node.arguments ?? [];
        if (name in MESSAGE_ARGUMENT) add(args[MESSAGE_ARGUMENT[name]]);
        if (name === 'notFound') {
          const what = args[0] ? textOf(args[0]) : 'Resource';
          if (what)
            found.set(`${what} not found`, `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
      }
      // messages.push('…')
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'push' &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'messages'
      )
        add(node.arguments[0]);
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
        if (node.name.text === 'message') add(node.initializer);
        if (node.name.text === 'messages' && ts.isArrayLiteralExpression(node.initializer))
          node.initializer.elements.forEach(add);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** A message with its placeholders unnamed, for comparing a found template with a catalogue key. */
export function shapeOf(message: string): string {
  return message.replace(/\{\{\w+\}\}/g, '{{}}').replace(/\$property/g, '{{}}');
}

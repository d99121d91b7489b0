/*
 * One source per API shape: the request and response classes (`*.dto.ts` and `dto.ts` in the
 * library that owns them) are plain TypeScript declarations implementing their contract interface,
 * and @nestjs/swagger's compiler plugin reads their schemas from those declarations: each
 * property's type, whether it is optional or nullable, its enum from a union of literals, its limits
 * from the class-validator decorators, its description and example from its doc comment.
 *
 * The tests and `npm start` run TypeScript through SWC, which runs no TypeScript transformers, so
 * the plugin's findings are written to apps/api/src/openapi-metadata.ts and the API loads them
 * before it builds the OpenAPI document (SwaggerModule.loadPluginMetadata — Nest's documented way for
 * SWC builds, with @nestjs/cli's PluginMetadataGenerator).
 *
 *   npm run openapi:metadata             write the file (then npm run openapi:update for docs/openapi.json)
 *   npm run openapi:metadata -- --check  fail when the committed file is not what the classes say
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator';
import type * as SwaggerPlugin from '@nestjs/swagger/dist/plugin';

// the package exports its plugin as '@nestjs/swagger/plugin'; its types sit under dist/
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin') as typeof SwaggerPlugin;

const root = join(__dirname, '../..');
export const API_SOURCE = join(root, 'apps/api/src');
export const METADATA_FILE = 'openapi-metadata.ts';

const PLUGIN_OPTIONS = {
  dtoFileNameSuffix: ['.dto.ts', '/dto.ts'],
  // the controllers declare their operations explicitly (summary, description, error answers)
  controllerFileNameSuffix: ['.no-controller-introspection'],
  classValidatorShim: true,
  introspectComments: true,
  pathToSource: API_SOURCE,
};

/**
 * The files of the last program built in this process, parsed and bound: a second program (a
 * test's, with one class changed) takes the unchanged ones from here instead of parsing the API
 * and its type declarations again, as TypeScript's language service shares source files.
 */
let previous: ts.Program | undefined;

/** The API's program; `edits` replaces the text of some files (a test's way to change a class). */
function program(edits: Record<string, string>): ts.Program {
  const file = join(root, 'apps/api/tsconfig.app.json');
  const { config } = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, join(root, 'apps/api'));
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    const text = edits[name];
    if (text !== undefined) return ts.createSourceFile(name, text, language);
    const known = previous?.getSourceFile(name);
    // a file read afresh when it changed on disk since, or was a test's edit there
    return known && known.text === ts.sys.readFile(name) ? known : read(name, language, onError, fresh);
  };
  previous = ts.createProgram(parsed.fileNames, parsed.options, host, previous);
  return previous;
}

/** Writes the metadata into `outputDir` and returns its text. */
export function generate(outputDir: string, edits: Record<string, string> = {}): string {
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor(PLUGIN_OPTIONS)],
    outputDir,
    filename: METADATA_FILE,
    tsProgramRef: program(edits),
  });
  return readFileSync(join(outputDir, METADATA_FILE), 'utf8');
}

/** What the classes say now, next to the committed file: null when they agree. */
export function metadataDrift(edits: Record<string, string> = {}): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-metadata-'));
  try {
    const fresh = generate(dir, edits);
    const committed = readFileSync(join(API_SOURCE, METADATA_FILE), 'utf8');
    if (fresh === committed) return null;
    let i = 0;
    while (fresh[i] === committed[i]) i++;
    return (
      `apps/api/src/${METADATA_FILE} is not what the classes say (from …${fresh.slice(Math.max(0, i - 60), i + 60)}…): ` +
      'run npm run openapi:metadata and npm run openapi:update, and commit both'
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The hand-written schema a class may still carry: what a TypeScript declaration cannot say (a map's
 * values, a one-value enum, a default of an initialised query field, an example). Any other
 * `@ApiProperty` restates the declaration and drifts from it; this names each one in `text`.
 */
export function restatedDecorators(file: string, text: string): string[] {
  const found: string[] = [];
  const re = /@ApiProperty(?:Optional)?\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    const args = text.slice(m.index + m[0].length, end);
    // a property that overrides an inherited one with a narrower type: swagger merges the parent's
    // reading over the plugin's for it, so only a decorator states the narrower type
    const overrides = /^\)\s*override\s/.test(text.slice(end, end + 200));
    if (!overrides && !/additionalProperties|enum: \[[^\],]*\]|default:|example:/.test(args)) {
      const line = text.slice(0, m.index).split('\n').length;
      found.push(`${relative(root, file)}:${line} ${text.slice(m.index, end + 1).replace(/\s+/g, ' ')}`);
    }
  }
  return found;
}

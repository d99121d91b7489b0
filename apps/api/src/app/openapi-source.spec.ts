import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// the generator is a workspace tool (tools/ is no Nx project); this test runs it as CI does
// eslint-disable-next-line @nx/enforce-module-boundaries
import { metadataDrift, restatedDecorators } from '../../../../tools/lib/openapi-metadata';

const root = join(__dirname, '../../../..');

/** every file the compiler plugin reads: the request and response classes */
function dtoFiles(): string[] {
  const dirs = [join(root, 'apps/api/src'), join(root, 'libs/server')];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /(\.dto|\/dto)\.ts$/.test(p)) out.push(p);
    }
  };
  dirs.forEach(walk);
  return out;
}

/**
 * Class names declared in more than one file: OpenAPI keeps one schema per name, so the second
 * class would silently stand for the first in the document and in the web's generated types.
 */
function sharedClassNames(files: { path: string; text: string }[]): string[] {
  const where = new Map<string, string[]>();
  for (const f of files)
    for (const m of f.text.matchAll(/^export class (\w+)/gm)) where.set(m[1], [...(where.get(m[1]) ?? []), f.path]);
  return [...where].filter(([, paths]) => paths.length > 1).map(([name, paths]) => `${name}: ${paths.join(', ')}`);
}

describe('one source per API shape', () => {
  // one TypeScript program of the API each (about 5 s)
  jest.setTimeout(60_000);

  it('the committed plugin metadata is what the classes declare', () => {
    expect(metadataDrift()).toBeNull();
  });

  it('a response class changed without regenerating the metadata is caught', () => {
    const file = join(root, 'libs/server/accounts/src/lib/responses.dto.ts');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(
      /(export class CsrfTokenDto \{\n(?: {2}\/\*\*.*\*\/\n)?) {2}token!: string;/,
      '$1  token!: number;',
    );
    expect(changed).not.toBe(text);
    expect(metadataDrift({ [file]: changed })).toMatch(/is not what the classes say.*CsrfTokenDto/s);
  });

  it('the request and response classes live in their libraries, not in the API app', () => {
    const inApp = dtoFiles()
      .filter((f) => f.includes('/apps/api/src/'))
      .map((f) => f.slice(root.length + 1));
    // the two shapes the app composes itself: its health report and the home page of several libraries
    expect(inApp.sort()).toEqual(['apps/api/src/app/health/health.dto.ts', 'apps/api/src/app/home/home.dto.ts']);
  });

  it('no two request or response classes share a name (OpenAPI would keep one of them)', () => {
    const files = dtoFiles().map((f) => ({ path: f.slice(root.length + 1), text: readFileSync(f, 'utf8') }));
    expect(sharedClassNames(files)).toEqual([]);
    // and the check sees one when it is there
    expect(
      sharedClassNames([
        { path: 'a/dto.ts', text: 'export class AgreementEndDto {\n  endsOn!: string | null;\n}\n' },
        { path: 'b/home.dto.ts', text: 'export class AgreementEndDto {\n  destroyOn!: string;\n}\n' },
      ]),
    ).toEqual(['AgreementEndDto: a/dto.ts, b/home.dto.ts']);
  });

  it('no @ApiProperty restates what a declaration already says', () => {
    const restated = dtoFiles().flatMap((f) => restatedDecorators(f, readFileSync(f, 'utf8')));
    expect(restated).toEqual([]);
    // and the check sees one when it is there
    expect(
      restatedDecorators(
        'x.dto.ts',
        'class A {\n  @ApiProperty({ type: String, nullable: true }) a!: string | null;\n}',
      ),
    ).toEqual(['x.dto.ts:2 @ApiProperty({ type: String, nullable: true })']);
    expect(restatedDecorators('x.dto.ts', '@ApiPropertyOptional({ default: 1 }) page = 1;')).toEqual([]);
    // a narrower type on an inherited property is stated (swagger would keep the parent's); elsewhere it is a restatement
    const narrowed = '  @ApiProperty({ type: () => C, isArray: true })\n  override items: C[] = [];';
    expect(restatedDecorators('x.dto.ts', `class B extends A {\n${narrowed}\n}`)).toEqual([]);
    expect(restatedDecorators('x.dto.ts', `class B {\n${narrowed.replace('override ', '')}\n}`)).toEqual([
      'x.dto.ts:2 @ApiProperty({ type: () => C, isArray: true })',
    ]);
  });

  it('no decorator-carrying schema class is left outside the files the plugin reads', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory() && e.name !== 'node_modules') walk(p);
        else if (e.isFile() && p.endsWith('.ts') && !/(\.dto|\/dto)\.ts$/.test(p) && !/spec\.ts$/.test(p)) {
          if (/@ApiProperty(Optional)?\(/.test(readFileSync(p, 'utf8'))) offenders.push(p.slice(root.length + 1));
        }
      }
    };
    walk(join(root, 'apps/api/src'));
    walk(join(root, 'libs/server'));
    expect(offenders).toEqual([]);
  });
});

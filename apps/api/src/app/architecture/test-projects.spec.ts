import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../../..');
const rootConfig = require(join(ROOT, 'jest.config.cjs')) as { projects: string[] };

/** Every file under `dir` (node_modules and build output left out) whose name matches. */
function filesUnder(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, name));
    else if (name.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * `npm test` runs one Jest over the projects listed in jest.config.cjs: a library whose project is
 * not listed has tests that never run (libs/server/mail's did not, until this check). Web tests
 * run under Karma (tag scope:web), not Jest.
 */
export function unlistedProjects(configs: string[], listed: string[]): string[] {
  const wanted = new Set(listed.map((p) => p.replace('<rootDir>/', '')));
  return configs.filter((c) => !wanted.has(c));
}

describe('the server test projects', () => {
  const SERVER_TREES = ['apps/api', 'apps/api-e2e', 'apps/worker', 'libs/server', 'libs/shared'];

  it('every Jest project of the workspace is one npm test runs', () => {
    const configs = SERVER_TREES.flatMap((t) => filesUnder(join(ROOT, t), /^jest\.config\.cjs$/)).map((f) =>
      relative(ROOT, f),
    );
    expect(configs.length).toBeGreaterThan(15);
    expect(unlistedProjects(configs, rootConfig.projects)).toEqual([]);
  });

  it('every server spec file lies in such a project', () => {
    const projects = rootConfig.projects.map((p) => dirname(join(ROOT, p.replace('<rootDir>/', ''))));
    const specs = SERVER_TREES.flatMap((t) => filesUnder(join(ROOT, t), /\.(spec|int-spec|medium-spec|e2e-spec)\.ts$/));
    expect(specs.length).toBeGreaterThan(100);
    const orphans = specs.filter((f) => !projects.some((p) => f.startsWith(p + '/'))).map((f) => relative(ROOT, f));
    expect(orphans).toEqual([]);
  });

  it('names a project left out of the list (shown on a made-up one)', () => {
    expect(
      unlistedProjects(
        ['libs/server/core/jest.config.cjs', 'libs/server/mail/jest.config.cjs'],
        ['<rootDir>/libs/server/core/jest.config.cjs'],
      ),
    ).toEqual(['libs/server/mail/jest.config.cjs']);
  });
});

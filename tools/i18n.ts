/**
 * npm run i18n:extract — writes the web app's English messages (apps/web/src/locale/messages.json,
 * Angular's own extraction) and lists what the Dutch file lacks.
 * npm run i18n:check — fails when a user-visible text has no Dutch translation (web app, e-mails,
 * AI coach), when a translation lost a placeholder, or when messages.json is not the extraction of
 * the current code. Part of the web build and of npm test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { compareCatalogues, type Messages } from './lib/i18n-check';
import { en as mailEn } from '../libs/server/mail/src/lib/locales/en';
import { nl as mailNl } from '../libs/server/mail/src/lib/locales/nl';
import { en as coachEn } from '../libs/server/assessment/src/lib/locales/en';
import { nl as coachNl } from '../libs/server/assessment/src/lib/locales/nl';

const ROOT = join(__dirname, '..');
export const LOCALE_DIR = join(ROOT, 'apps/web/src/locale');

function read(file: string): Messages {
  return (JSON.parse(readFileSync(file, 'utf8')) as { translations: Messages }).translations;
}

function extract(outputPath: string): Messages {
  try {
    execFileSync('npx', ['nx', 'run', 'web:extract-i18n', `--output-path=${outputPath}`, '--output-style=static', '--skip-nx-cache'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const out = e as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}\nThe extraction of the web app's messages failed (above).`);
    process.exit(1);
  }
  return read(join(outputPath, 'messages.json'));
}

/** Every translation problem of the committed catalogues (the web's messages.json is taken as current). */
export function translationProblems(): string[] {
  const source = read(join(LOCALE_DIR, 'messages.json'));
  const nl = existsSync(join(LOCALE_DIR, 'messages.nl.json')) ? read(join(LOCALE_DIR, 'messages.nl.json')) : {};
  return [
    ...compareCatalogues('web nl', source, nl),
    ...compareCatalogues('e-mail nl', mailEn, mailNl),
    ...compareCatalogues('AI coach nl', coachEn, coachNl),
  ];
}

function main(): void {
  const command = process.argv[2];
  if (command === 'extract') {
    extract(LOCALE_DIR);
    const problems = translationProblems();
    console.log(problems.length ? problems.join('\n') : 'every message is translated');
    return;
  }
  if (command === 'check') {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-i18n-'));
    try {
      const fresh = extract(dir);
      const committed = read(join(LOCALE_DIR, 'messages.json'));
      const drift = compareCatalogues('apps/web/src/locale/messages.json', fresh, committed);
      if (drift.length) {
        console.error(`${drift.join('\n')}\nmessages.json is not the extraction of the current code: run npm run i18n:extract and translate what is new.`);
        process.exit(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const problems = translationProblems();
    if (problems.length) {
      console.error(`${problems.join('\n')}\n${problems.length} translation problem(s).`);
      process.exit(1);
    }
    console.log(`translations complete: ${Object.keys(read(join(LOCALE_DIR, 'messages.json'))).length} web messages, ${Object.keys(mailEn).length} e-mail texts, ${Object.keys(coachEn).length} AI coach texts in English and Dutch`);
    return;
  }
  console.error('usage: i18n.ts extract|check');
  process.exit(64);
}

if (/[\/]tools[\/]i18n\.ts$/.test(process.argv[1] ?? '')) main();

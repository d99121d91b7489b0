/**
 * npm run i18n:extract — writes the web app's English messages (apps/web/src/locale/messages.json,
 * Angular's own extraction) and lists what lacks a Dutch translation.
 * npm run i18n:check — fails when a user-visible text has no Dutch translation (web app, e-mails,
 * AI coach, API messages), when a translation lost a placeholder, or when messages.json is not the
 * extraction of the current code. It reads the messages from the web app's production build
 * (dist/apps/web/browser: `nx run web:i18n` builds it first), with the extractor Angular's own
 * extract-i18n runs over the development build it makes for itself: the same messages, without a
 * second compilation of the app (npm test builds the web app anyway). npm test checks the
 * catalogues too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type Catalogues, compareCatalogues, type Messages, translationProblems } from '@rehearse/server/testing';
import { MAIL_GREETING_TEXT } from '@rehearse/server/mail';
import { ACCOUNTS_MAIL_TEXT } from '@rehearse/server/accounts';
import { FEEDBACK_MAIL_TEXT } from '@rehearse/server/feedback';
import { PRIVACY_MAIL_TEXT } from '@rehearse/server/privacy';
import { COACH_TEXT_EN, COACH_TEXT_NL } from '@rehearse/server/assessment';
import { API_MESSAGES_NL } from '@rehearse/server/core';

const ROOT = join(__dirname, '..');
const LOCALE_DIR = join(ROOT, 'apps/web/src/locale');
/** the web app's production build (nx run web:build), relative to ROOT */
const WEB_BUILD = 'dist/apps/web/browser';
const CATALOGUES: Catalogues = {
  mail: {
    greeting: MAIL_GREETING_TEXT,
    accounts: ACCOUNTS_MAIL_TEXT,
    feedback: FEEDBACK_MAIL_TEXT,
    privacy: PRIVACY_MAIL_TEXT,
  },
  coach: { en: COACH_TEXT_EN, nl: COACH_TEXT_NL },
  apiNl: API_MESSAGES_NL,
};

function read(file: string): Messages {
  return (JSON.parse(readFileSync(file, 'utf8')) as { translations: Messages }).translations;
}

/** Runs a program that writes a catalogue; on failure prints its output and `failed`, and exits. */
function runOrExit(command: string, args: string[], failed: string, env: NodeJS.ProcessEnv = process.env): void {
  try {
    execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const out = e as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}\n${failed}`);
    process.exit(1);
  }
}

function extract(outputPath: string): Messages {
  runOrExit(
    'npx',
    ['nx', 'run', 'web:extract-i18n', `--output-path=${outputPath}`, '--output-style=static', '--skip-nx-cache'],
    "The extraction of the web app's messages failed (above).",
    { ...process.env, NX_DAEMON: 'false' },
  );
  return read(join(outputPath, 'messages.json'));
}

/**
 * The messages of the web app's production build: @angular/localize's extractor (localize-extract,
 * with the options Angular's extract-i18n builder gives it) over the built JavaScript, where the
 * `$localize` calls stay as they are because the translations are loaded at run time.
 */
function builtMessages(outputPath: string): Messages {
  if (!existsSync(join(ROOT, WEB_BUILD, 'index.html'))) {
    console.error(`No web build in ${WEB_BUILD}: run npx nx run web:i18n (it builds the web app first).`);
    process.exit(1);
  }
  const output = join(outputPath, 'messages.json');
  runOrExit(
    process.execPath,
    [
      join(ROOT, 'node_modules/@angular/localize/tools/bundles/src/extract/cli.js'),
      ...['--root', ROOT, '--source', `${WEB_BUILD}/*.js`, '--format', 'json', '--outputPath', output],
      ...['--locale', 'en-GB', '--useSourceMaps=false', '--useLegacyIds=false', '--loglevel', 'warn'],
    ],
    'Reading the messages of the web build failed (above).',
  );
  return read(output);
}

function main(): void {
  const command = process.argv[2];
  if (command === 'extract') {
    extract(LOCALE_DIR);
    const problems = translationProblems(ROOT, CATALOGUES);
    console.log(problems.length ? problems.join('\n') : 'every message is translated');
    return;
  }
  if (command === 'check') {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-i18n-'));
    let drift: string[];
    try {
      drift = compareCatalogues(
        'apps/web/src/locale/messages.json',
        builtMessages(dir),
        read(join(LOCALE_DIR, 'messages.json')),
      );
    } finally {
      // (before process.exit below: it would skip a finally around it)
      rmSync(dir, { recursive: true, force: true });
    }
    if (drift.length) {
      console.error(
        `${drift.join('\n')}\nmessages.json is not the extraction of the current code: run npm run i18n:extract and translate what is new.`,
      );
      process.exit(1);
    }
    const problems = translationProblems(ROOT, CATALOGUES);
    if (problems.length) {
      console.error(`${problems.join('\n')}\n${problems.length} translation problem(s).`);
      process.exit(1);
    }
    console.log(
      `translations complete: ${Object.keys(read(join(LOCALE_DIR, 'messages.json'))).length} web messages, ${Object.values(CATALOGUES.mail).reduce((n, c) => n + Object.keys(c.en).length, 0)} e-mail texts, ${Object.keys(COACH_TEXT_EN).length} AI coach texts, ${Object.keys(API_MESSAGES_NL).length} API messages in English and Dutch`,
    );
    return;
  }
  console.error('usage: i18n.ts extract|check');
  process.exit(64);
}

main();

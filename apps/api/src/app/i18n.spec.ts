import { join } from 'node:path';
import { compareCatalogues, placeholders, translationProblems } from '@rehearse/server/testing';
import { MAIL_GREETING_TEXT } from '@rehearse/server/mail';
import { ACCOUNTS_MAIL_TEXT } from '@rehearse/server/accounts';
import { FEEDBACK_MAIL_TEXT } from '@rehearse/server/feedback';
import { PRIVACY_MAIL_TEXT } from '@rehearse/server/privacy';
import { COACH_TEXT_EN, COACH_TEXT_NL } from '@rehearse/server/assessment';
import { API_MESSAGES_NL } from '@rehearse/server/core';

const ROOT = join(__dirname, '../../../..');
/** each domain's e-mail texts */
const MAIL = {
  greeting: MAIL_GREETING_TEXT,
  accounts: ACCOUNTS_MAIL_TEXT,
  feedback: FEEDBACK_MAIL_TEXT,
  privacy: PRIVACY_MAIL_TEXT,
};

/**
 * The translation check (issue 17): `npm run i18n:check` (npm test runs it after the web build) also
 * reads the web app's messages afresh from that build; this test checks the committed catalogues and
 * the server's messages.
 */
describe('translations', () => {
  it('every text of the web app, the e-mails, the AI coach and the API has a Dutch translation with its placeholders', () => {
    expect(
      translationProblems(ROOT, {
        mail: MAIL,
        coach: { en: COACH_TEXT_EN, nl: COACH_TEXT_NL },
        apiNl: API_MESSAGES_NL,
      }),
    ).toEqual([]);
  });

  it('the check finds a missing translation, a lost placeholder, a text that is gone and an API message without Dutch', () => {
    const source = { a: 'Welcome, {$INTERPOLATION}', b: 'Hello {{name}}', c: 'Sign out' };
    expect(
      compareCatalogues('x', source, { a: 'Welkom, {$INTERPOLATION}', b: 'Hallo {{name}}', c: 'Uitloggen' }),
    ).toEqual([]);
    expect(compareCatalogues('x', source, { a: 'Welkom', b: 'Hallo {{naam}}', d: 'Oud' })).toEqual([
      'x: a has placeholders [] where the source has [{$INTERPOLATION}]: "Welcome, {$INTERPOLATION}" → "Welkom"',
      'x: b has placeholders [{{naam}}] where the source has [{{name}}]: "Hello {{name}}" → "Hallo {{naam}}"',
      'x: no translation of c "Sign out"',
      'x: d translates a text that no longer exists ("Oud")',
    ]);
    expect(compareCatalogues('x', { a: 'Next' }, { a: '  ' })).toEqual(['x: empty translation of a "Next"']);
    // a translation may repeat or reorder placeholders
    expect(placeholders('{$PH_1} en {$PH} en {$PH}')).toEqual(['{$PH_1}', '{$PH}'].sort());
    // without its Dutch entry, a message of the server's code is reported with where it is
    const { 'The e-mail address or password is not correct': _gone, ...lacking } = API_MESSAGES_NL;
    const problems = translationProblems(ROOT, {
      mail: MAIL,
      coach: { en: COACH_TEXT_EN, nl: COACH_TEXT_NL },
      apiNl: lacking,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^API nl: no translation of "The e-mail address or password is not correct" \(libs\/server\/accounts\/src\/lib\/auth\.service\.ts:\d+\)/,
      ),
    ]);
  });
});

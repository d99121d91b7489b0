/** The texts of accounts' e-mails (sign-in codes, invitations, password reset and e-mail change links, security notices); {{name}} placeholders are filled by their composers. */
const en = {
  'mfa.subject': 'Your Rehearse sign-in code: {{code}}',
  'mfa.body': 'Your sign-in code is {{code}}. It is valid for {{minutes}} minutes and can be used once.',
  'mfa.notYou': 'If you did not try to sign in, change your password.',
  'invitation.subject': 'You are invited to Rehearse ({{tenant}})',
  'invitation.body': '{{tenant}} invites you to Rehearse.',
  'invitation.linkIntro': 'Choose your password here:',
  'invitation.link': 'Choose your password',
  'invitation.expires': 'The link works once and expires on {{date}}.',
  'reset.subject': 'Choose a new Rehearse password ({{tenant}})',
  'reset.body': 'Someone, probably you, asked for a new password for your Rehearse account at {{tenant}}.',
  'reset.linkIntro': 'Choose it here:',
  'reset.link': 'Choose a new password',
  'reset.expires': 'The link works once, for {{minutes}} minutes. You will still be asked for your sign-in code.',
  'reset.notYou': 'If you did not ask, ignore this e-mail: your password stays as it is.',
  'emailChange.subject': 'Confirm your new Rehearse e-mail address',
  'emailChange.body':
    'Someone, probably you, asked to make {{email}} the e-mail address of your Rehearse account at {{tenant}}.',
  'emailChange.linkIntro': 'Confirm it here:',
  'emailChange.link': 'Confirm this address',
  'emailChange.expires':
    'The link works once, for {{hours}} hours. Until then your old address stays the one you sign in with.',
  'emailChange.notYou': 'If you did not ask, ignore this e-mail: nothing changes.',
  'security.subject': 'Rehearse security notice',
  'security.password-changed': 'Your Rehearse password was changed.',
  'security.email-changed': 'The e-mail address of your Rehearse account was changed.',
  'security.email-changed-to':
    'The e-mail address of your Rehearse account was changed to {{email}}. This address no longer signs in.',
  'security.totp-enabled': 'An authenticator app was added to your Rehearse account.',
  'security.totp-disabled': 'The authenticator app was removed from your Rehearse account.',
  'security.notYou': 'If this was not you, contact your administrator at once.',
} as const satisfies Record<string, string>;

/** In Dutch: every English key, no other (the compiler checks). */
const nl: Record<keyof typeof en, string> = {
  'mfa.subject': 'Je inlogcode voor Rehearse: {{code}}',
  'mfa.body': 'Je inlogcode is {{code}}. Hij is {{minutes}} minuten geldig en werkt één keer.',
  'mfa.notYou': 'Probeerde je niet in te loggen? Wijzig dan je wachtwoord.',
  'invitation.subject': 'Je bent uitgenodigd voor Rehearse ({{tenant}})',
  'invitation.body': '{{tenant}} nodigt je uit voor Rehearse.',
  'invitation.linkIntro': 'Kies hier je wachtwoord:',
  'invitation.link': 'Kies je wachtwoord',
  'invitation.expires': 'De link werkt één keer en verloopt op {{date}}.',
  'reset.subject': 'Kies een nieuw wachtwoord voor Rehearse ({{tenant}})',
  'reset.body':
    'Iemand, waarschijnlijk jij, heeft een nieuw wachtwoord gevraagd voor je Rehearse-account bij {{tenant}}.',
  'reset.linkIntro': 'Kies het hier:',
  'reset.link': 'Kies een nieuw wachtwoord',
  'reset.expires': 'De link werkt één keer, {{minutes}} minuten lang. Je inlogcode wordt daarna nog steeds gevraagd.',
  'reset.notYou': 'Heb je dit niet gevraagd? Negeer deze e-mail dan: je wachtwoord blijft zoals het is.',
  'emailChange.subject': 'Bevestig je nieuwe e-mailadres voor Rehearse',
  'emailChange.body':
    'Iemand, waarschijnlijk jij, wil {{email}} het e-mailadres maken van je Rehearse-account bij {{tenant}}.',
  'emailChange.linkIntro': 'Bevestig het hier:',
  'emailChange.link': 'Bevestig dit adres',
  'emailChange.expires': 'De link werkt één keer, {{hours}} uur lang. Tot dan log je in met je oude adres.',
  'emailChange.notYou': 'Heb je dit niet gevraagd? Negeer deze e-mail dan: er verandert niets.',
  'security.subject': 'Beveiligingsmelding van Rehearse',
  'security.password-changed': 'Het wachtwoord van je Rehearse-account is gewijzigd.',
  'security.email-changed': 'Het e-mailadres van je Rehearse-account is gewijzigd.',
  'security.email-changed-to':
    'Het e-mailadres van je Rehearse-account is gewijzigd in {{email}}. Met dit adres log je niet meer in.',
  'security.totp-enabled': 'Er is een authenticator-app aan je Rehearse-account toegevoegd.',
  'security.totp-disabled': 'De authenticator-app is van je Rehearse-account verwijderd.',
  'security.notYou': 'Was jij dit niet? Neem dan meteen contact op met je beheerder.',
};

export const ACCOUNTS_MAIL_TEXT = { en, nl };

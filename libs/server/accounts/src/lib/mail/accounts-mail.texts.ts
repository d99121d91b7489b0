/** The texts of accounts' e-mails (sign-in codes, invitations, security notices); {{name}} placeholders are filled by their composers. */
const en = {
  'mfa.subject': 'Your Rehearse sign-in code: {{code}}',
  'mfa.body': 'Your sign-in code is {{code}}. It is valid for {{minutes}} minutes and can be used once.',
  'mfa.notYou': 'If you did not try to sign in, change your password.',
  'invitation.subject': 'You are invited to Rehearse ({{tenant}})',
  'invitation.body': '{{tenant}} invites you to Rehearse.',
  'invitation.linkIntro': 'Choose your password here:',
  'invitation.link': 'Choose your password',
  'invitation.expires': 'The link works once and expires on {{date}}.',
  'security.subject': 'Rehearse security notice',
  'security.password-changed': 'Your Rehearse password was changed.',
  'security.email-changed': 'The e-mail address of your Rehearse account was changed.',
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
  'security.subject': 'Beveiligingsmelding van Rehearse',
  'security.password-changed': 'Het wachtwoord van je Rehearse-account is gewijzigd.',
  'security.email-changed': 'Het e-mailadres van je Rehearse-account is gewijzigd.',
  'security.totp-enabled': 'Er is een authenticator-app aan je Rehearse-account toegevoegd.',
  'security.totp-disabled': 'De authenticator-app is van je Rehearse-account verwijderd.',
  'security.notYou': 'Was jij dit niet? Neem dan meteen contact op met je beheerder.',
};

export const ACCOUNTS_MAIL_TEXT = { en, nl };

/** The texts of feedback's e-mails (feedback published, a peer review to do, a reminder of one); {{name}} placeholders are filled by their composers. */
const en = {
  'feedback.subject': 'New feedback on “{{title}}”',
  'feedback.yourAnswer': 'your answer',
  'feedback.fromCoach': 'Your coach has given you feedback on “{{title}}”.',
  'feedback.fromPeer': 'A colleague has given you feedback on “{{title}}”.',
  'feedback.linkIntro': 'Read it here:',
  'feedback.link': 'Read the feedback',
  'peer.subject': 'A colleague asks for your feedback',
  'peer.body': 'A colleague shared a practice answer with your group. Please review it.',
  'peer.bodyDue': 'A colleague shared a practice answer with your group. Please review it by {{date}}.',
  'peer.link': 'Open the review',
  'reminder.subject': 'Reminder: your feedback for a colleague is due on {{date}}',
  'reminder.body':
    'A colleague is waiting for your feedback on a practice answer. It is due on {{date}}; after that it goes to someone else in your group.',
} as const satisfies Record<string, string>;

/** In Dutch: every English key, no other (the compiler checks). */
const nl: Record<keyof typeof en, string> = {
  'feedback.subject': 'Nieuwe feedback op “{{title}}”',
  'feedback.yourAnswer': 'je antwoord',
  'feedback.fromCoach': 'Je coach heeft je feedback gegeven op “{{title}}”.',
  'feedback.fromPeer': 'Een collega heeft je feedback gegeven op “{{title}}”.',
  'feedback.linkIntro': 'Lees het hier:',
  'feedback.link': 'Lees de feedback',
  'peer.subject': 'Een collega vraagt om je feedback',
  'peer.body': 'Een collega heeft een oefenantwoord met je groep gedeeld. Wil je het beoordelen?',
  'peer.bodyDue': 'Een collega heeft een oefenantwoord met je groep gedeeld. Wil je het uiterlijk {{date}} beoordelen?',
  'peer.link': 'Open de beoordeling',
  'reminder.subject': 'Herinnering: je feedback voor een collega wordt uiterlijk {{date}} verwacht',
  'reminder.body':
    'Een collega wacht op je feedback op een oefenantwoord. Geef die uiterlijk {{date}}; daarna gaat de beoordeling naar iemand anders in je groep.',
};

export const FEEDBACK_MAIL_TEXT = { en, nl };

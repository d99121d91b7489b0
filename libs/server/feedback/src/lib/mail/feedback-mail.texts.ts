/** The texts of feedback's e-mails (feedback published, a peer review to do, a reminder of one, a coach's morning e-mail); {{name}} placeholders are filled by their composers. */
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
  'digest.subject_one': '{{count}} answer waits for your feedback',
  'digest.subject_other': '{{count}} answers wait for your feedback',
  'digest.waiting_one': 'One answer of your participants waits for your feedback.',
  'digest.waiting_other': '{{count}} answers of your participants wait for your feedback.',
  'digest.overdueIt': 'It has waited more than {{days}} days.',
  'digest.overdueAll': 'All of them have waited more than {{days}} days.',
  'digest.overdueSome_one': '{{count}} of them has waited more than {{days}} days.',
  'digest.overdueSome_other': '{{count}} of them have waited more than {{days}} days.',
  'digest.byCourse': 'By course:',
  'digest.moreCourses_one': 'and {{count}} more course',
  'digest.moreCourses_other': 'and {{count}} more courses',
  'digest.link': 'Open your queue',
  'digest.why':
    'You receive this e-mail each morning while answers wait for you. You can turn it off on your account page:',
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
  'digest.subject_one': '{{count}} antwoord wacht op je feedback',
  'digest.subject_other': '{{count}} antwoorden wachten op je feedback',
  'digest.waiting_one': 'Eén antwoord van je deelnemers wacht op je feedback.',
  'digest.waiting_other': '{{count}} antwoorden van je deelnemers wachten op je feedback.',
  'digest.overdueIt': 'Het wacht al langer dan {{days}} dagen.',
  'digest.overdueAll': 'Ze wachten allemaal al langer dan {{days}} dagen.',
  'digest.overdueSome_one': '{{count}} daarvan wacht al langer dan {{days}} dagen.',
  'digest.overdueSome_other': '{{count}} daarvan wachten al langer dan {{days}} dagen.',
  'digest.byCourse': 'Per cursus:',
  'digest.moreCourses_one': 'en nog {{count}} cursus',
  'digest.moreCourses_other': 'en nog {{count}} cursussen',
  'digest.link': 'Open je wachtrij',
  'digest.why':
    'Je krijgt deze e-mail elke ochtend zolang er antwoorden op je wachten. Je kunt hem uitzetten op je accountpagina:',
};

export const FEEDBACK_MAIL_TEXT = { en, nl };

/** The texts of courses' e-mails (a course due soon); {{name}} placeholders are filled by their composers. */
const en = {
  'due.subject': '“{{title}}” is due on {{date}}',
  'due.body':
    'You have answered {{answered}} of the {{total}} exercises of “{{title}}”. The course is due on {{date}}.',
  'due.link': 'Continue the course',
} as const satisfies Record<string, string>;

/** In Dutch: every English key, no other (the compiler checks). */
const nl: Record<keyof typeof en, string> = {
  'due.subject': '“{{title}}” moet uiterlijk {{date}} af zijn',
  'due.body':
    'Je hebt {{answered}} van de {{total}} oefeningen van “{{title}}” beantwoord. De cursus moet uiterlijk {{date}} af zijn.',
  'due.link': 'Ga verder met de cursus',
};

export const COURSE_MAIL_TEXT = { en, nl };

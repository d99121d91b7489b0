/** What a privacy-log row says happened, in words people read (the row keeps the codes). */
const OBJECTS: Record<string, string> = {
  user_profile: 'profile',
  group_member: 'group membership',
  answer: 'answer',
  transcript: 'transcript',
  recording: 'recording',
  ai_report: 'AI report',
  feedback: 'feedback',
  review: 'review',
  course_progress: 'course progress',
  data_export: 'data export',
  account: 'account',
  sso_identity: 'sign-in identity',
};

const ACTIONS: Record<string, (object: string) => string> = {
  view: (o) => `Opened the ${o}`,
  list: (o) => `Saw the ${o} in a list`,
  search: (o) => `Found the ${o} in a search`,
  download: (o) => `Downloaded the ${o}`,
  captions: () => 'Read the captions',
  review: (o) => `Reviewed the ${o}`,
  impersonation_start: () => 'Signed in as this person (support)',
  unlinked: (o) => `Unlinked the ${o}`,
};

export function describeRead(action: string, objectType: string): string {
  const object = OBJECTS[objectType] ?? objectType.replace(/_/g, ' ');
  const say = ACTIONS[action];
  if (say) return say(object);
  const text = `${action.replace(/_/g, ' ')} ${object}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

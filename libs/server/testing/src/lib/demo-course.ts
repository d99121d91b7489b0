import type { CourseContent, RubricCriterion } from '@rehearse/shared/contracts';

/** The demo organisation's sign-in: every demo person's password, and their e-mail domain. */
export const DEMO_PASSWORD = 'rehearse-demo-2026';
export const DEMO_DOMAIN = 'demo.rehearse.local';
/** The demo superuser (operator support staff): signs in with an authenticator app on this secret. */
export const DEMO_TOTP_SECRET = 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD';
export const DEMO_SUPERUSER_EMAIL = `support@${DEMO_DOMAIN}`;
export const DEMO_SUPERUSER_PASSWORD = `${DEMO_PASSWORD}-Operator!`;

/** The demo course: a customer-service conversation training. Ids are fixed so the seed is idempotent. */
export const DEMO_RUBRIC = {
  title: 'Customer conversation',
  description: 'How well the answer handles an unhappy customer.',
  criteria: [
    criterion(
      '6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e01',
      'Empathy',
      'Acknowledges the customer’s feelings before solving anything.',
      2,
      [
        'Ignores the feelings',
        'Names the problem only',
        'Acknowledges feelings',
        'Acknowledges and reflects',
        'Makes the customer feel heard',
      ],
    ),
    criterion('6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e02', 'Clarity', 'Explains what happens next in plain words.', 1, [
      'Confusing',
      'Partly clear',
      'Clear',
      'Clear and concise',
      'Crystal clear, with a summary',
    ]),
    criterion(
      '6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e03',
      'Ownership',
      'Takes responsibility and commits to a next step.',
      1,
      [
        'Blames others',
        'Vague promise',
        'Commits to a step',
        'Commits with a time',
        'Commits, times it and follows up',
      ],
    ),
  ],
};

function criterion(
  id: string,
  title: string,
  description: string,
  weight: number,
  descriptors: string[],
): RubricCriterion {
  return { id, title, description, weight, levels: descriptors.map((descriptor, i) => ({ score: i + 1, descriptor })) };
}

const [EMPATHY, CLARITY, OWNERSHIP] = DEMO_RUBRIC.criteria.map((c) => c.id);

/**
 * What the AI coach measures in an exercise. With `proposes`, it also proposes a score for each
 * criterion of the rubric from the metrics linked to it (the coach accepts or changes it, and the
 * reports compare the two): empathy from the key phrases ("I understand") and the tone, clarity
 * from the pace, the fillers and the pauses, ownership from the key phrases ("I will", "by tomorrow").
 */
const ai = (keyPhrases: string[], avoidPhrases: string[], targetDurationSeconds: number, proposes = false) => ({
  language: 'en' as const,
  keyPhrases,
  avoidPhrases,
  wpmMin: 130,
  wpmMax: 175,
  maxFillersPerMinute: 4,
  targetDurationSeconds,
  ...(proposes
    ? {
        criterionLinks: [
          { criterionId: EMPATHY, metrics: ['key_phrases' as const, 'sentiment' as const] },
          { criterionId: CLARITY, metrics: ['speaking_rate' as const, 'fillers' as const, 'pauses' as const] },
          { criterionId: OWNERSHIP, metrics: ['key_phrases' as const] },
        ],
      }
    : {}),
});

export function demoCourse(rubricId: string): CourseContent {
  return {
    title: 'Handling complaints on the phone',
    description:
      'Practise the first minute of a difficult customer call: listen, acknowledge, and commit to a next step.',
    language: 'en',
    modules: [
      {
        id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161501',
        title: '1. Before you start',
        exercises: [
          {
            id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161511',
            title: 'Baseline: the late delivery',
            instructions:
              'A customer calls because an order is **two weeks late**. Answer as you normally would.\n\nThis is your baseline: we compare it with your final test.',
            prompt: 'This is the third time I call. Where is my order?',
            answerType: 'video',
            preparationSeconds: 30,
            maxAnswerSeconds: 90,
            attemptsAllowed: 2,
            testKind: 'baseline',
            feedback: ['coach', 'ai'],
            rubricId,
            ai: ai(['I understand', 'I will'], ['calm down', 'not my fault'], 60, true),
          },
        ],
      },
      {
        id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161502',
        title: '2. Acknowledge',
        exercises: [
          {
            id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161521',
            title: 'Name the feeling',
            instructions:
              'Listen to the customer and answer with **one sentence** that names how they feel.\n\n- Do not explain yet\n- Do not apologise for the company yet',
            prompt: 'I have been waiting on hold for forty minutes!',
            answerType: 'audio',
            preparationSeconds: 15,
            maxAnswerSeconds: 30,
            attemptsAllowed: 5,
            testKind: 'practice',
            feedback: ['self', 'peer', 'ai'],
            rubricId,
            ai: ai(['frustrating', 'I understand'], ['calm down'], 15),
          },
          {
            id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161522',
            title: 'Write your opening line',
            instructions: 'Write the first two sentences you would say to the customer from the baseline exercise.',
            prompt: null,
            answerType: 'text',
            preparationSeconds: 0,
            maxAnswerSeconds: 300,
            attemptsAllowed: 3,
            testKind: 'practice',
            feedback: ['coach', 'self'],
            rubricId,
            ai: ai([], [], 60),
          },
        ],
      },
      {
        id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161503',
        title: '3. Final test',
        exercises: [
          {
            id: '0d9c8b7a-6f5e-4d3c-8b2a-190817161531',
            title: 'Final: the late delivery',
            instructions:
              'The same customer as in your baseline. Show what you learned: **acknowledge**, **explain**, **commit**.',
            prompt: 'This is the third time I call. Where is my order?',
            answerType: 'video',
            preparationSeconds: 30,
            maxAnswerSeconds: 90,
            attemptsAllowed: 2,
            testKind: 'final',
            feedback: ['coach', 'ai'],
            rubricId,
            ai: ai(['I understand', 'I will', 'by tomorrow'], ['calm down', 'not my fault'], 60, true),
          },
        ],
      },
    ],
  };
}

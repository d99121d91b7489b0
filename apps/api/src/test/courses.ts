import type { Client } from './harness';

export const VIDEO_EXERCISE = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const AUDIO_EXERCISE = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';

/**
 * Creates, fills and publishes a course with one text exercise and a rubric; with `media`, also
 * a video and an audio exercise (VIDEO_EXERCISE, AUDIO_EXERCISE).
 */
export async function publishedCourse(
  dev: Client,
  opts: { media?: boolean; maxAnswerSeconds?: number } = {},
): Promise<{ id: string; exercise: string; rubric: string }> {
  const rubric = await dev.post('/api/authoring/rubrics', {
    title: 'Conversation rubric',
    description: 'How the conversation went',
    criteria: [
      {
        id: '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e',
        title: 'Empathy',
        description: 'Acknowledges feelings',
        weight: 1,
        levels: [
          { score: 1, descriptor: 'Not yet' },
          { score: 5, descriptor: 'Always' },
        ],
      },
    ],
  });
  const created = await dev.post('/api/authoring/courses', { title: 'Service basics', language: 'en' });
  const exercise = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
  const saved = await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
    revision: created.body.draft.revision,
    content: {
      title: 'Service basics',
      description: 'Handle a complaint',
      language: 'en',
      modules: [
        {
          id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          title: 'Complaints',
          exercises: [
            exerciseBody(exercise, rubric.body.id),
            ...(opts.media
              ? [
                  exerciseBody(VIDEO_EXERCISE, rubric.body.id, {
                    title: 'On camera',
                    answerType: 'video',
                    maxAnswerSeconds: opts.maxAnswerSeconds ?? 120,
                  }),
                  exerciseBody(AUDIO_EXERCISE, null, {
                    title: 'On the phone',
                    answerType: 'audio',
                    maxAnswerSeconds: opts.maxAnswerSeconds ?? 120,
                  }),
                ]
              : []),
          ],
        },
      ],
    },
  });
  if (saved.status !== 200) throw new Error(`save failed ${saved.status} ${JSON.stringify(saved.body)}`);
  const published = await dev.post(`/api/authoring/courses/${created.body.id}/publish`, {
    changeSummary: 'First version',
  });
  if (published.status !== 200) throw new Error(`publish failed ${published.status} ${JSON.stringify(published.body)}`);
  return { id: created.body.id, exercise, rubric: rubric.body.id };
}

export function exerciseBody(id: string, rubricId: string | null, overrides: Record<string, unknown> = {}) {
  return {
    id,
    title: 'The angry customer',
    instructions: 'Listen, then **acknowledge** the problem.',
    prompt: 'My order is late again!',
    answerType: 'text',
    preparationSeconds: 30,
    maxAnswerSeconds: 120,
    attemptsAllowed: 3,
    testKind: 'practice',
    feedback: ['coach', 'self'],
    rubricId,
    ai: {
      language: 'en',
      keyPhrases: ['I understand'],
      avoidPhrases: ['calm down'],
      wpmMin: 120,
      wpmMax: 170,
      maxFillersPerMinute: 4,
      targetDurationSeconds: 60,
    },
    ...overrides,
  };
}

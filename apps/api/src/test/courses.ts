import type { Client } from './harness';

/** Creates, fills and publishes a course with one text exercise and a rubric. */
export async function publishedCourse(dev: Client): Promise<{ id: string; exercise: string; rubric: string }> {
  const rubric = await dev.post('/api/authoring/rubrics', {
    title: 'Conversation rubric',
    description: 'How the conversation went',
    criteria: [{ id: '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e', title: 'Empathy', description: 'Acknowledges feelings', weight: 1, levels: [{ score: 1, descriptor: 'Not yet' }, { score: 5, descriptor: 'Always' }] }],
  });
  const created = await dev.post('/api/authoring/courses', { title: 'Service basics', language: 'en' });
  const exercise = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
  const saved = await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
    revision: created.body.draft.revision,
    content: {
      title: 'Service basics',
      description: 'Handle a complaint',
      language: 'en',
      modules: [{ id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Complaints', exercises: [exerciseBody(exercise, rubric.body.id)] }],
    },
  });
  if (saved.status !== 200) throw new Error(`save failed ${saved.status} ${JSON.stringify(saved.body)}`);
  const published = await dev.post(`/api/authoring/courses/${created.body.id}/publish`, { changeSummary: 'First version' });
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
    ai: { language: 'en', keyPhrases: ['I understand'], avoidPhrases: ['calm down'], wpmMin: 120, wpmMax: 170, maxFillersPerMinute: 4, targetDurationSeconds: 60 },
    ...overrides,
  };
}


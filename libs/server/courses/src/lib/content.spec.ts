import type { CourseContent, ExerciseContent } from '@rehearse/shared/contracts';
import { contentProblems, coverProblem, exerciseCount, imageType, rubricProblems, stripSnapshots } from './content';
import { renderMarkdown } from './markdown';
import { unsafeMarkup } from './dto';

const exercise = (
  id: string,
  rubricId: string | null = null,
  extra: Partial<ExerciseContent> = {},
): ExerciseContent => ({
  id,
  title: 'E',
  instructions: '',
  prompt: null,
  answerType: 'video',
  preparationSeconds: 0,
  maxAnswerSeconds: 60,
  attemptsAllowed: 1,
  testKind: 'practice',
  feedback: ['coach'],
  rubricId,
  ai: {
    language: 'en',
    keyPhrases: [],
    avoidPhrases: [],
    wpmMin: null,
    wpmMax: null,
    maxFillersPerMinute: null,
    targetDurationSeconds: null,
  },
  ...extra,
});
const course = (modules: CourseContent['modules']): CourseContent => ({
  title: 'C',
  description: '',
  language: 'en',
  modules,
});

describe('course content checks', () => {
  it('finds duplicate ids, unknown rubrics, inverted pace ranges and AI on text answers', () => {
    const problems = contentProblems(
      course([
        {
          id: 'm1',
          title: 'M',
          exercises: [
            exercise('e1', 'r1'),
            exercise('e1', 'nope'),
            exercise('e3', null, { ai: { ...exercise('x').ai, wpmMin: 180, wpmMax: 120 } }),
          ],
        },
        { id: 'm1', title: 'N', exercises: [exercise('e4', null, { answerType: 'text', feedback: ['ai'] })] },
      ]),
      new Map([['r1', new Set<string>()]]),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'content.modules.0.exercises.1.id: duplicates the id of content.modules.0.exercises.0',
      'content.modules.0.exercises.1.rubricId: names a rubric that does not exist',
      'content.modules.0.exercises.2.ai.wpmMax: must not be below wpmMin',
      'content.modules.1.id: duplicates the id of content.modules.0',
      'content.modules.1.exercises.0.feedback: AI feedback needs a video or audio answer',
    ]);
  });

  it("wants AI links and peer criteria to name criteria of the exercise's rubric, and self feedback for self-assessment first", () => {
    const problems = contentProblems(
      course([
        {
          id: 'm1',
          title: 'M',
          exercises: [
            exercise('e1', 'r1', {
              feedback: ['coach', 'peer'],
              ai: {
                ...exercise('x').ai,
                criterionLinks: [
                  { criterionId: 'c1', metrics: ['fillers'] },
                  { criterionId: 'c9', metrics: ['pauses'] },
                ],
              },
              peerReview: { reviewers: 2, dueDays: 7, criterionIds: ['c2', 'c8'] },
              selfAssessmentFirst: true,
            }),
            exercise('e2', null, {
              ai: { ...exercise('x').ai, criterionLinks: [{ criterionId: 'c1', metrics: ['sentiment'] }] },
            }),
          ],
        },
      ]),
      new Map([['r1', new Set(['c1', 'c2'])]]),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "content.modules.0.exercises.0.ai.criterionLinks.1.criterionId: names no criterion of the exercise's rubric",
      "content.modules.0.exercises.0.peerReview.criterionIds.1: names no criterion of the exercise's rubric",
      'content.modules.0.exercises.0.selfAssessmentFirst: needs self feedback to be enabled',
      "content.modules.0.exercises.1.ai.criterionLinks.0.criterionId: names no criterion of the exercise's rubric",
    ]);
  });

  it('counts exercises and strips frozen rubric snapshots', () => {
    const c = course([
      {
        id: 'm',
        title: 'M',
        exercises: [
          { ...exercise('a', 'r'), rubric: { id: 'r', title: 'R', description: '', criteria: [] } },
          exercise('b'),
        ],
      },
    ]);
    expect(exerciseCount(c)).toBe(2);
    expect('rubric' in stripSnapshots(c).modules[0].exercises[0]).toBe(false);
  });

  it('wants distinct level scores and criterion ids in a rubric', () => {
    const levels = [
      { score: 1, descriptor: 'a' },
      { score: 1, descriptor: 'b' },
    ];
    expect(
      rubricProblems(
        {
          criteria: [
            { id: 'x', title: 'T', description: '', weight: 1, levels },
            {
              id: 'x',
              title: 'U',
              description: '',
              weight: 1,
              levels: [
                { score: 1, descriptor: '' },
                { score: 2, descriptor: '' },
              ],
            },
          ],
        },
        'r',
      ).map((p) => p.path),
    ).toEqual(['r.criteria.0.levels', 'r.criteria.1.id']);
  });
});

describe('image sniffing', () => {
  it('recognises PNG, JPEG and WebP by their bytes, and nothing else', () => {
    expect(imageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(imageType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
    expect(imageType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe(
      'image/webp',
    );
    expect(imageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeNull();
    expect(imageType(Buffer.from('GIF89a'))).toBeNull();
    expect(imageType(Buffer.alloc(0))).toBeNull();
  });

  it('takes a cover a browser can draw, and refuses one of more than 4096 pixels a side or one it cannot read', () => {
    const png = (width: number, height: number) => {
      const b = Buffer.alloc(33);
      Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(b, 0);
      b.writeUInt32BE(width, 16);
      b.writeUInt32BE(height, 20);
      return b;
    };
    const onePixel = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    expect(coverProblem(onePixel)).toBeNull();
    expect(coverProblem(png(4096, 2304))).toBeNull();
    expect(coverProblem(png(50_000, 50_000))).toBe(
      'is 50000 × 50000 pixels; a cover may be at most 4096 pixels on each side',
    );
    expect(coverProblem(png(100, 4097))).toMatch(/^is 100 × 4097 pixels/);
    expect(coverProblem(Buffer.from('ffd8ff0001', 'hex'))).toBe('is not a PNG, JPEG or WebP image that can be read');
    expect(coverProblem(png(0, 10))).toBe('is not a PNG, JPEG or WebP image that can be read');
  });
});

describe('Markdown', () => {
  it('renders the usual formatting', () => {
    expect(renderMarkdown('# Title\n\n- **bold** and _it_\n- `code`')).toBe(
      '<h1>Title</h1>\n<ul>\n<li><strong>bold</strong> and <em>it</em></li>\n<li><code>code</code></li>\n</ul>\n',
    );
  });

  it.each([
    ['<script>alert(1)</script>', /<script/i],
    ['<img src=x onerror=alert(1)>', /onerror|<img/i],
    ['[x](javascript:alert(1))', /javascript:/i],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<div style="background:url(javascript:x)">x</div>', /style=|javascript:/i],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', /data:/i],
  ])('removes %s', (input, bad) => {
    expect(renderMarkdown(input)).not.toMatch(bad);
  });

  it('refuses unsafe markup in stored Markdown, and lets ordinary text through', () => {
    for (const bad of [
      '<script>',
      '<SCRIPT src=x>',
      '<img src=x onload=y>',
      'javascript :alert(1)',
      '<iframe',
      'data:text/html,x',
      '<form action=x>',
      '< / SCRIPT >',
      '<a href=x <b onclick = y',
      '<p>fine</p><img\tonerror=z',
      'DATA : text/html;base64,x',
    ])
      expect({ bad, unsafe: unsafeMarkup(bad) }).toEqual({ bad, unsafe: true });
    for (const ok of [
      'Say "I understand" once',
      'Use <b>bold</b> rarely',
      'the onion = layered',
      'https://example.org',
      'online=true',
      '<p>ok</p> onload=outside a tag',
      '<scripted> is a word',
    ])
      expect({ ok, unsafe: unsafeMarkup(ok) }).toEqual({ ok, unsafe: false });
  });

  it('judges a text in time linear in its length (the one regular expression took quadratic time)', () => {
    // the same verdicts as the expression gave, on what made it slow: many "<" with no ">", runs of spaces
    const expression =
      /<\s*\/?\s*(script|iframe|object|embed|style|link|meta|form)\b|javascript\s*:|<[^>]*\son[a-z]+\s*=|data\s*:\s*text\/html/i;
    for (const text of [
      '<'.repeat(2000),
      '< on'.repeat(500),
      '<' + ' '.repeat(2000),
      '<a <b <c onx'.repeat(100) + '=',
      ('<p ' + 'x'.repeat(50)).repeat(40) + ' onload=1',
      ('<p ' + 'x'.repeat(50) + '>').repeat(40) + ' onload=1',
    ])
      expect({ text: text.slice(0, 20), unsafe: unsafeMarkup(text) }).toEqual({
        text: text.slice(0, 20),
        unsafe: expression.test(text),
      });
    // 2 MB of fields like the slowest: each field of 20,000 "<" took 140 ms
    const field = '<'.repeat(20_000);
    for (let i = 0; i < 100; i++) expect(unsafeMarkup(field)).toBe(false);
  });
});

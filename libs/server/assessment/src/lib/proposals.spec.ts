import type { AiMetric, AiReport } from '@rehearse/shared/contracts';
import { agreement, aiMarkers, proposeScores } from './proposals';

const metric = (id: AiMetric['id'], verdict: AiMetric['verdict']): AiMetric => ({
  id,
  label: id,
  value: 1,
  unit: '',
  threshold: null,
  verdict,
  explanation: '',
});

const REPORT: AiReport = {
  noSpeech: false,
  language: 'en',
  durationSeconds: 14,
  speakingSeconds: 7.3,
  wordCount: 26,
  metrics: [
    metric('speaking_rate', 'pass'),
    metric('fillers', 'attention'),
    metric('pauses', 'attention'),
    metric('duration', 'info'),
    metric('key_phrases', 'pass'),
    metric('sentiment', 'pass'),
  ],
  paceOverTime: [],
  fillers: [
    { start: 3.2, end: 3.5, filler: 'um' },
    { start: 4.3, end: 4.7, filler: 'you know' },
  ],
  pauses: [{ start: 6.5, end: 10, seconds: 3.5, source: 'both' }],
  keyPhrases: [
    { phrase: 'refund', found: true, at: 11.7, heard: 'refunt' },
    { phrase: 'I understand', found: false, at: null, heard: null },
  ],
  avoidPhrases: [
    { phrase: 'calm down', found: false, at: null, heard: null },
    { phrase: 'annoying', found: true, at: 5.9, heard: 'annoying' },
  ],
  sentiment: { level: 3, compound: 0 },
  loudness: null,
};

const FIVE = [1, 2, 3, 4, 5].map((score) => ({ score, descriptor: `level ${score}` }));
const criteria = [
  { id: 'fluency', levels: FIVE },
  { id: 'content', levels: FIVE },
  {
    id: 'binary',
    levels: [
      { score: 0, descriptor: 'no' },
      { score: 10, descriptor: 'yes' },
    ],
  },
  {
    id: 'uneven',
    levels: [
      { score: 10, descriptor: 'c' },
      { score: 0, descriptor: 'a' },
      { score: 4, descriptor: 'b' },
    ],
  },
];

describe('AI-proposed rubric scores', () => {
  it('places the share of passed linked metrics on the criterion’s levels, nearest level, lower on a tie', () => {
    const proposed = proposeScores(
      REPORT,
      [
        { criterionId: 'fluency', metrics: ['speaking_rate', 'fillers', 'pauses'] }, // 1 of 3 → 1 + 4/3 = 2.33 → 2
        { criterionId: 'content', metrics: ['key_phrases', 'sentiment'] }, // 2 of 2 → 5
        { criterionId: 'binary', metrics: ['speaking_rate', 'fillers'] }, // 1 of 2 → 5, between 0 and 10 → 0
        { criterionId: 'uneven', metrics: ['key_phrases', 'pauses', 'fillers'] }, // 1 of 3 → 3.33 → 4 (levels in any order)
        { criterionId: 'content', metrics: ['duration'] }, // only "info": no proposal
        { criterionId: 'missing', metrics: ['fillers'] }, // criterion not in the rubric
      ],
      criteria,
    );
    expect(proposed).toEqual([
      { criterionId: 'fluency', score: 2, basis: ['speaking_rate', 'fillers', 'pauses'], passed: 1 },
      { criterionId: 'content', score: 5, basis: ['key_phrases', 'sentiment'], passed: 2 },
      { criterionId: 'binary', score: 0, basis: ['speaking_rate', 'fillers'], passed: 1 },
      { criterionId: 'uneven', score: 4, basis: ['fillers', 'pauses', 'key_phrases'], passed: 1 },
    ]);
  });

  it('proposes the lowest level when there was no speech (every judged metric needs attention)', () => {
    const silent: AiReport = {
      ...REPORT,
      noSpeech: true,
      metrics: REPORT.metrics.map((m) => ({ ...m, verdict: m.verdict === 'info' ? 'info' : 'attention' })),
    };
    expect(
      proposeScores(silent, [{ criterionId: 'content', metrics: ['key_phrases', 'sentiment'] }], criteria),
    ).toEqual([{ criterionId: 'content', score: 1, basis: ['key_phrases', 'sentiment'], passed: 0 }]);
  });
});

describe('AI–coach agreement', () => {
  it('counts exact and adjacent agreement by level order and the mean absolute difference', () => {
    const levels = [1, 2, 3, 4, 5];
    expect(
      agreement([
        { ai: 3, coach: 3, levels },
        { ai: 2, coach: 3, levels },
        { ai: 1, coach: 4, levels },
        { ai: 0, coach: 10, levels: [0, 5, 10] }, // two levels apart
      ]),
    ).toEqual({ pairs: 4, exact: 0.25, adjacent: 0.5, meanAbsoluteDifference: 3.5 });
  });

  it('is empty without pairs', () => {
    expect(agreement([])).toEqual({ pairs: 0, exact: null, adjacent: null, meanAbsoluteDifference: null });
  });
});

describe('AI findings as timeline markers', () => {
  it('lists fillers, pauses, phrases to avoid and key phrases heard, in time order with stable keys', () => {
    expect(aiMarkers(REPORT)).toEqual([
      { key: 'filler:0', kind: 'filler', at: 3.2, end: 3.5, label: 'Filler “um”' },
      { key: 'filler:1', kind: 'filler', at: 4.3, end: 4.7, label: 'Filler “you know”' },
      { key: 'avoid:1', kind: 'avoid_phrase', at: 5.9, end: 5.9, label: 'Phrase to avoid: “annoying” at 0:05' },
      { key: 'pause:0', kind: 'pause', at: 6.5, end: 10, label: 'Pause of 3.5 s' },
      { key: 'key:0', kind: 'key_phrase', at: 11.7, end: 11.7, label: 'Key phrase: “refund”' },
    ]);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createMetrics } from '@rehearse/server/core';
import { alertRuleProblems, type AlertRuleFile, servedMetrics } from '../../test/alert-rules';

const RULES = join(__dirname, '../../../../../docker/helm/rehearse/files/rehearse-alerts.yml');

/**
 * The alerting rules operators load into Prometheus (and the Helm chart's PrometheusRule): every
 * expression parses, and selects only metrics the API and the worker serve, by labels they carry.
 */
describe('the alerting rules', () => {
  let served: Map<string, Set<string>>;
  beforeAll(() => {
    // the API's and the worker's registries are the same metrics (createMetrics), with Node's own
    served = servedMetrics(createMetrics('worker').registry);
  });

  it('parse, and name only what the processes serve', async () => {
    const file = parse(await readFile(RULES, 'utf8')) as AlertRuleFile;
    expect(alertRuleProblems(file, served)).toEqual([]);
    const alerts = (file.groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => r['alert']));
    // what an operator of 50,000 people's data must hear of
    expect(alerts).toEqual(
      expect.arrayContaining([
        'RehearseServerErrors',
        'RehearseNoWorker',
        'RehearseTranscriptionsWaiting',
        'RehearseMailGivenUp',
        'RehearseBackupMissing',
        'RehearseBackupFailing',
      ]),
    );
  });

  it('refuses what Prometheus would refuse or what could never fire', () => {
    const rule = (over: Record<string, unknown>) => ({
      alert: 'Example',
      expr: 'max(rehearse_mail_unsent) > 0',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'a summary', description: 'a description' },
      ...over,
    });
    const problems = (rules: Record<string, unknown>[]) =>
      alertRuleProblems({ groups: [{ name: 'g', rules }] }, served);
    expect(problems([rule({})])).toEqual([]);
    expect(problems([rule({ expr: 'sum(rate(rehearse_jobs_total[5m]) > 0' })])).toEqual([
      expect.stringMatching(/^Example: does not parse/),
    ]);
    expect(problems([rule({ expr: 'max(rehearse_backups_total) > 0' })])).toEqual([
      'Example: no process serves the metric rehearse_backups_total',
    ]);
    expect(problems([rule({ expr: 'sum(rate(rehearse_jobs_total{kind="media"}[5m])) > 0' })])).toEqual([
      'Example: rehearse_jobs_total has no label kind',
    ]);
    // a histogram's buckets carry le; Prometheus's target labels go on every series
    expect(
      problems([
        rule({
          expr: 'sum(rate(rehearse_transcription_seconds_bucket{le="+Inf", instance="w1", engine="whisper"}[5m])) > 0',
        }),
      ]),
    ).toEqual([]);
    expect(
      problems([rule({ for: 'ten minutes', labels: { severity: 'page' }, annotations: { summary: 'x' } })]),
    ).toEqual([
      'Example: "for" is not a duration: ten minutes',
      'Example: severity is not one of warning, critical',
      'Example: no description',
    ]);
    expect(problems([rule({}), rule({})])).toEqual(['Example: named twice']);
    expect(alertRuleProblems({}, served)).toEqual(['no groups']);
  });
});

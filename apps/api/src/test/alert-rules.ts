import { parser } from '@prometheus-io/lezer-promql';
import type { Registry } from 'prom-client';

/** A Prometheus rule file's alerting rules, as far as the check reads them. */
export interface AlertRuleFile {
  groups?: { name?: string; rules?: Record<string, unknown>[] }[];
}

/** The labels Prometheus itself puts on every scraped series, and a histogram's bucket bound. */
const TARGET_LABELS = ['job', 'instance', '__name__'];
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const SEVERITIES = ['warning', 'critical'];

/** Every metric name the registry serves (a histogram's series too), with the labels each may carry. */
export function servedMetrics(registry: Registry): Map<string, Set<string>> {
  const served = new Map<string, Set<string>>();
  // (prom-client's metric objects carry their name, type and label names)
  for (const metric of registry.getMetricsAsArray() as unknown as {
    name: string;
    type: string;
    labelNames?: string[];
  }[]) {
    // with createMetrics's default label (process) and the target's labels
    const labels = new Set([...(metric.labelNames ?? []), 'process', ...TARGET_LABELS]);
    served.set(metric.name, labels);
    if (metric.type === 'histogram') {
      served.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      served.set(`${metric.name}_sum`, labels);
      served.set(`${metric.name}_count`, labels);
    }
  }
  return served;
}

/**
 * What is wrong with a rule file's alerts, one line each (none: it may be loaded): each alert named,
 * its expression PromQL that parses, every metric it selects one the processes serve and every label
 * it matches on one that metric carries, a valid `for`, a severity, a summary and a description.
 */
export function alertRuleProblems(file: AlertRuleFile, served: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  if (!file.groups?.length) return ['no groups'];
  for (const group of file.groups) {
    if (!group.name) problems.push('a group has no name');
    for (const rule of group.rules ?? []) {
      const alert = typeof rule['alert'] === 'string' ? rule['alert'] : '';
      const where = alert || '(an alert without a name)';
      if (!alert) problems.push(`${where}: no name`);
      else if (names.has(alert)) problems.push(`${where}: named twice`);
      names.add(alert);
      const expr = typeof rule['expr'] === 'string' ? rule['expr'] : '';
      if (!expr.trim()) problems.push(`${where}: no expression`);
      else problems.push(...expressionProblems(expr, served).map((p) => `${where}: ${p}`));
      if (rule['for'] !== undefined && !DURATION.test(String(rule['for'])))
        problems.push(`${where}: "for" is not a duration: ${String(rule['for'])}`);
      const labels = (rule['labels'] ?? {}) as Record<string, unknown>;
      if (!SEVERITIES.includes(String(labels['severity'])))
        problems.push(`${where}: severity is not one of ${SEVERITIES.join(', ')}`);
      const annotations = (rule['annotations'] ?? {}) as Record<string, unknown>;
      for (const a of ['summary', 'description'])
        if (typeof annotations[a] !== 'string' || !String(annotations[a]).trim()) problems.push(`${where}: no ${a}`);
    }
  }
  return problems;
}

/** A PromQL expression's syntax errors, and the metrics and labels it names that nothing serves. */
function expressionProblems(expr: string, served: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`does not parse at "${expr.slice(node.from, node.from + 20)}"`);
      if (node.name !== 'VectorSelector') return;
      const metric = node.node.getChild('Identifier');
      if (!metric) return;
      const name = expr.slice(metric.from, metric.to);
      const labels = served.get(name);
      if (!labels) {
        problems.push(`no process serves the metric ${name}`);
        return;
      }
      const matchers = node.node.getChild('LabelMatchers');
      for (const label of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const labelName = label.getChild('LabelName');
        const l = labelName ? expr.slice(labelName.from, labelName.to) : '';
        if (l && !labels.has(l)) problems.push(`${name} has no label ${l}`);
      }
    },
  });
  return problems;
}

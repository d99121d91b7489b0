/**
 * PostgreSQL's CPU seconds between two snapshots: each process's own difference, a new one's whole
 * time. A backend that ended in between is left out (its time in the window is lost): summing the
 * totals instead subtracted its whole life and printed a negative time (-4.2 ms a request, once).
 */
export function databaseSeconds(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  // a number reused by a new process can start below the old one's total: that one counts whole
  for (const [pid, total] of after) seconds += total >= (before.get(pid) ?? 0) ? total - (before.get(pid) ?? 0) : total;
  return seconds;
}

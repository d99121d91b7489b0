import Bowser from 'bowser';

/** What a browser says it is, as people recognise it (read from its user-agent string by bowser). */
export interface AgentParts {
  /** e.g. "Chrome", "Safari", "Microsoft Edge"; null when the string names no browser */
  browser: string | null;
  /** e.g. "Windows", "macOS", "iOS", "Android", "Linux"; null when it names no system */
  os: string | null;
}

/** The browser and system a user-agent string names (nothing for an empty or unknown one). */
export function agentOf(userAgent: string): AgentParts {
  if (!userAgent.trim()) return { browser: null, os: null };
  const { browser, os } = Bowser.parse(userAgent);
  return { browser: browser.name || null, os: os.name || null };
}

/** A short English label, for a trusted device's stored name: "Safari on iOS". */
export function describeAgent(userAgent: string): string {
  const { browser, os } = agentOf(userAgent);
  return `${browser ?? 'Browser'} on ${os ?? 'unknown system'}`;
}

/** A Dockerfile read the way this project's checks need it: stages and their instructions. */

export interface DockerStage {
  name: string;
  from: string;
  instructions: { op: string; args: string }[];
}

export interface Dockerfile {
  stages: DockerStage[];
  /** the global ARGs' defaults (before the first FROM) */
  args: Record<string, string>;
}

/** The Dockerfile's stages in order (continued lines joined, comments dropped), with its global ARGs' defaults. */
export function parseDockerfile(text: string): Dockerfile {
  const stages: DockerStage[] = [];
  const args: Record<string, string> = {};
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const [, op, rest] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new Error(`FROM ${rest}: not understood`);
      stages.push({ name: m[2] ?? `stage-${stages.length}`, from: m[1], instructions: [] });
    } else if (!stages.length) {
      if (upper === 'ARG') {
        const [k, v = ''] = rest.split('=');
        args[k] = v.replace(/^"|"$/g, '');
      }
    } else {
      stages[stages.length - 1].instructions.push({ op: upper, args: rest });
    }
  }
  return { stages, args };
}

/** A stage and the stages of the same file it is built on, the first base first. */
export function stageChain(file: Dockerfile, name: string): DockerStage[] {
  const stage = file.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return file.stages.some((s) => s.name === stage.from) ? [...stageChain(file, stage.from), stage] : [stage];
}

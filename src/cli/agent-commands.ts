/** `ic-support-chat agent create|publish`: the guide's step 1, and later versions. */
import { readFile } from 'node:fs/promises';
import type { IngramClient } from '../backends/ingram/client.js';
import { reportFailure, type CliIo } from './cli-io.js';

export const AGENT_USAGE = `  ic-support-chat agent create --slug SLUG --name NAME (--instructions-file FILE | --instructions TEXT)
                               [--tools web_search,…] [--note TEXT]
  ic-support-chat agent publish --agent AGT_ID [--note TEXT]

create makes the agent and publishes version 1 (it goes live), then prints its agt_ id.
publish adds the next version (it goes live when you roll it out), then prints its number.`;

export interface AgentCreateArgs {
  slug?: string;
  name?: string;
  instructionsFile?: string;
  instructions?: string;
  tools?: string[];
  note?: string;
}

/** Resolves the exit code; `usage` is printed with argument errors. */
export async function agentCreate(args: AgentCreateArgs, client: () => IngramClient, io: CliIo, usage: string): Promise<number> {
  if (!args.slug || !args.name) {
    io.stderr(`--slug and --name are required.\n\n${usage}\n`);
    return 2;
  }
  if (!args.instructionsFile === !args.instructions) {
    io.stderr(`Give exactly one of --instructions-file or --instructions.\n\n${usage}\n`);
    return 2;
  }
  const api = client();
  let instructions = args.instructions ?? '';
  if (args.instructionsFile) {
    try {
      instructions = await readFile(args.instructionsFile, 'utf8');
    } catch (err) {
      io.stderr(`Cannot read ${args.instructionsFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 1;
    }
  }
  if (instructions.trim() === '') {
    io.stderr('The instructions are empty.\n');
    return 2;
  }
  const tools = (args.tools ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  try {
    const agent = await api.createAgent({ slug: args.slug, name: args.name, instructions: instructions.trim(), enabled_hosted_tools: tools });
    const published = await api.publishAgentVersion(agent.id, { note: args.note ?? 'first version' });
    io.stderr(`Created agent "${agent.slug}" and published version ${published.version}${published.live === false ? '' : ' (live)'}.\nSet IC_AGENT_ID=${agent.id}\n`);
    io.stdout(`${agent.id}\n`);
    return 0;
  } catch (err) {
    return reportFailure(io, api, err);
  }
}

/** `agent publish`: the next version of an existing agent; prints its number. */
export async function agentPublish(args: { agent?: string; note?: string }, client: () => IngramClient, io: CliIo, usage: string): Promise<number> {
  if (!args.agent || !/^agt_[A-Za-z0-9_]+$/.test(args.agent)) {
    io.stderr(`--agent agt_… is required.\n\n${usage}\n`);
    return 2;
  }
  const api = client();
  try {
    const published = await api.publishAgentVersion(args.agent, args.note ? { note: args.note } : {});
    io.stderr(`Published version ${published.version} of ${args.agent}${published.live ? ' (live)' : ' (not live until you roll it out)'}.\n`);
    io.stdout(`${published.version}\n`);
    return 0;
  } catch (err) {
    return reportFailure(io, api, err);
  }
}

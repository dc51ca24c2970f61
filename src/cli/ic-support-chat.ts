#!/usr/bin/env node
/**
 * `npx ic-support-chat agent create --slug support --name "Support bot" --instructions-file ./support.md [--tools web_search]`
 *
 * Creates the support agent on Ingram Cloud and publishes version 1 (the first publish goes live),
 * then prints the `agt_…` id on stdout (set it as IC_AGENT_ID). Reads IC_TOKEN and IC_BASE_URL.
 */
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IngramClient } from '../backends/ingram/client.js';
import { createIngramEmulator, emulatorFetch } from '../backends/ingram/emulator/emulator.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage:
  ic-support-chat agent create --slug SLUG --name NAME (--instructions-file FILE | --instructions TEXT)
                               [--tools web_search,…] [--note TEXT]

Creates the agent and publishes version 1 (it goes live), then prints its agt_ id.
Environment: IC_TOKEN (required, tenant-admin token), IC_BASE_URL (default https://api.cloud.ingram.tech;
"emulator" runs against an in-memory emulator, for trying the command out).`;

/** Runs the CLI; resolves the process exit code. */
export async function main(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        slug: { type: 'string' },
        name: { type: 'string' },
        'instructions-file': { type: 'string' },
        instructions: { type: 'string' },
        tools: { type: 'string', multiple: true },
        note: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'agent' || positionals[1] !== 'create' || positionals.length !== 2) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  if (!values.slug || !values.name) {
    io.stderr(`--slug and --name are required.\n\n${USAGE}\n`);
    return 2;
  }
  if (!values['instructions-file'] === !values.instructions) {
    io.stderr(`Give exactly one of --instructions-file or --instructions.\n\n${USAGE}\n`);
    return 2;
  }
  const token = env['IC_TOKEN'];
  if (!token) {
    io.stderr('IC_TOKEN is not set: export your tenant-admin token (it stays on this machine).\n');
    return 2;
  }
  let instructions = values.instructions ?? '';
  if (values['instructions-file']) {
    try {
      instructions = await readFile(values['instructions-file'], 'utf8');
    } catch (err) {
      io.stderr(`Cannot read ${values['instructions-file']}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 1;
    }
  }
  if (instructions.trim() === '') {
    io.stderr('The instructions are empty.\n');
    return 2;
  }
  const tools = (values.tools ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);

  const baseUrl = env['IC_BASE_URL'];
  const client =
    baseUrl === 'emulator'
      ? new IngramClient({ token, baseUrl: 'http://emulator.invalid', fetch: emulatorFetch(createIngramEmulator({ token })) })
      : new IngramClient({ token, ...(baseUrl ? { baseUrl } : {}) });
  try {
    const agent = await client.createAgent({ slug: values.slug, name: values.name, instructions: instructions.trim(), enabled_hosted_tools: tools });
    const published = await client.publishAgentVersion(agent.id, { note: values.note ?? 'first version' });
    io.stderr(`Created agent "${agent.slug}" and published version ${published.version}${published.live === false ? '' : ' (live)'}.\nSet IC_AGENT_ID=${agent.id}\n`);
    io.stdout(`${agent.id}\n`);
    return 0;
  } catch (err) {
    const e = err as { message?: string; upstreamMessage?: string; upstreamStatus?: number };
    const detail = e.upstreamMessage ? ` (${e.upstreamStatus ?? ''} ${client.redact(e.upstreamMessage)})` : '';
    io.stderr(`Failed: ${client.redact(e.message ?? String(err))}${detail}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), process.env, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}

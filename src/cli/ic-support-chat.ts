#!/usr/bin/env node
/**
 * `npx ic-support-chat agent create|publish …` and `npx ic-support-chat smiths list|archive …`:
 * the vendor guide's step 1 (create and publish the support agent) and step 5 (operate the
 * logged-out visitors' smiths, never a claimed one). Reads IC_TOKEN and IC_BASE_URL.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IngramClient } from '../backends/ingram/client.js';
import { createIngramEmulator, emulatorFetch } from '../backends/ingram/emulator/emulator.js';
import { AGENT_USAGE, agentCreate, agentPublish } from './agent-commands.js';
import type { CliIo } from './cli-io.js';
import { SMITHS_USAGE, smithsCommand } from './smiths-commands.js';

export type { CliIo } from './cli-io.js';

const USAGE = `Usage:
${AGENT_USAGE.split('\n\n')[0]}
${SMITHS_USAGE.split('\n\n')[0]}

${AGENT_USAGE.split('\n\n')[1]}

${SMITHS_USAGE.split('\n\n')[1]}

Environment: IC_TOKEN (required, tenant-admin token), IC_BASE_URL (default https://api.cloud.ingram.tech;
"emulator" runs against an in-memory emulator, for trying the commands out).`;

const COMMANDS = new Set(['agent create', 'agent publish', 'smiths list', 'smiths archive']);

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
        agent: { type: 'string' },
        directory: { type: 'string' },
        'idle-days': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
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
  const command = positionals.join(' ');
  if (positionals.length !== 2 || !COMMANDS.has(command)) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const token = env['IC_TOKEN'];
  if (!token) {
    io.stderr('IC_TOKEN is not set: export your tenant-admin token (it stays on this machine).\n');
    return 2;
  }
  const baseUrl = env['IC_BASE_URL'];
  const client = () =>
    baseUrl === 'emulator'
      ? new IngramClient({ token, baseUrl: 'http://emulator.invalid', fetch: emulatorFetch(createIngramEmulator({ token })) })
      : new IngramClient({ token, ...(baseUrl ? { baseUrl } : {}) });

  switch (command) {
    case 'agent create':
      return agentCreate(
        {
          ...(values.slug !== undefined ? { slug: values.slug } : {}),
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values['instructions-file'] !== undefined ? { instructionsFile: values['instructions-file'] } : {}),
          ...(values.instructions !== undefined ? { instructions: values.instructions } : {}),
          ...(values.tools !== undefined ? { tools: values.tools } : {}),
          ...(values.note !== undefined ? { note: values.note } : {}),
        },
        client,
        io,
        USAGE,
      );
    case 'agent publish':
      return agentPublish({ ...(values.agent !== undefined ? { agent: values.agent } : {}), ...(values.note !== undefined ? { note: values.note } : {}) }, client, io, USAGE);
    default:
      return smithsCommand(
        {
          command: positionals[1] === 'archive' ? 'archive' : 'list',
          directory: values.directory,
          idleDays: values['idle-days'],
          dryRun: values['dry-run'] === true,
          json: values.json === true,
        },
        client(),
        io,
      );
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
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

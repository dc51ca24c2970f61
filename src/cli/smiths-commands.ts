/**
 * `ic-support-chat smiths list|archive`: logged-out visitors' smiths, by last activity, never a
 * claimed one. A claimed smith keeps its `anon:` external_id (immutable upstream), so the API's
 * `anon:` segment alone would include signed-in accounts: the commands read the smith directory
 * the server records claims in, and refuse to run without it.
 */
import { existsSync } from 'node:fs';
import type { IngramClient } from '../backends/ingram/client.js';
import { archiveIdleAnonymousSmiths, listAnonymousActivity, type AnonymousSmithActivity } from '../backends/ingram/operate.js';
import type { SmithDirectory } from '../backends/ingram/smith-directory.js';
import { SqliteSmithDirectory } from '../backends/ingram/sqlite-smith-directory.js';
import { reportFailure, type CliIo } from './cli-io.js';

export interface SmithsArgs {
  command: 'list' | 'archive';
  directory: string | undefined;
  idleDays: string | undefined;
  dryRun: boolean;
  json: boolean;
}

export const SMITHS_USAGE = `  ic-support-chat smiths list    --directory FILE [--idle-days N] [--json]
  ic-support-chat smiths archive --directory FILE --idle-days N [--dry-run]

Logged-out visitors' smiths (external_id anon:…), oldest activity first (the last run, from the
run history; else the smith's creation). Claimed smiths (signed-in accounts) are never listed or
archived. --directory is the SqliteSmithDirectory file your server records claims in (required:
without it a claimed smith cannot be told apart). archive soft-archives (DELETE /v1/smiths/{id})
the smiths idle for N days or more (0: all); --dry-run lists them and changes nothing.`;

/** Runs `smiths list|archive`; resolves the exit code. */
export async function smithsCommand(args: SmithsArgs, client: IngramClient, io: CliIo, openDirectory = openSqlite): Promise<number> {
  if (!args.directory) {
    io.stderr(
      '--directory is required: a claimed smith keeps its anon: external_id, and only the smith directory your server writes claims to tells it apart from a logged-out visitor’s.\n',
    );
    return 2;
  }
  let idleDays: number | undefined;
  if (args.idleDays !== undefined) {
    idleDays = Number(args.idleDays);
    if (args.idleDays.trim() === '' || !Number.isFinite(idleDays) || idleDays < 0) {
      io.stderr(`--idle-days must be a number of days, 0 or more (got "${args.idleDays}").\n`);
      return 2;
    }
  }
  if (args.command === 'archive' && idleDays === undefined) {
    io.stderr('archive needs --idle-days N (0 archives every logged-out visitor’s smith).\n');
    return 2;
  }
  let directory: SmithDirectory & { close?(): void };
  try {
    directory = await openDirectory(args.directory);
  } catch (err) {
    io.stderr(`Cannot open the smith directory ${args.directory}: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    if (args.command === 'list') {
      const report = await listAnonymousActivity(client, { directory, ...(idleDays !== undefined ? { idleDays } : {}) });
      if (args.json) io.stdout(`${JSON.stringify(report.smiths, null, 2)}\n`);
      else for (const a of report.smiths) io.stdout(`${line(a)}\n`);
      io.stderr(`${report.smiths.length} logged-out visitor smith(s)${idleDays ? ` idle for ${idleDays}+ days` : ''}; ${report.claimedSkipped} claimed (signed-in) left out.\n`);
      return 0;
    }
    const report = await archiveIdleAnonymousSmiths(client, {
      directory,
      idleDays: idleDays!,
      dryRun: args.dryRun,
      onSmith: (a) => io.stdout(`${line(a)}\n`),
    });
    const verb = args.dryRun ? 'Would archive' : 'Archived';
    io.stderr(
      `${verb} ${report.archived.length} logged-out visitor smith(s) idle for ${idleDays}+ days; ${report.claimedSkipped + report.claimedMeanwhile} claimed (signed-in) left alone.${args.dryRun ? ' Dry run: nothing changed.' : ''}\n`,
    );
    return 0;
  } catch (err) {
    return reportFailure(io, client, err);
  } finally {
    directory.close?.();
  }
}

function line(a: AnonymousSmithActivity): string {
  return `${a.smith.id}\tlast active ${a.lastActiveAt}\t${a.runs} run(s)`;
}

async function openSqlite(file: string): Promise<SmithDirectory & { close(): void }> {
  // Opening a mistyped path would create an empty directory, in which nothing looks claimed.
  if (!existsSync(file)) throw new Error('no such file');
  return SqliteSmithDirectory.open(file);
}

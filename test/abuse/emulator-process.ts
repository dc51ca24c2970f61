// The Ingram emulator in a process of its own. It stands in for a remote API, and it parses and
// decodes whole 70 MB bodies at once (it is a fake, built for clarity): in the server's process
// its work would show up in the server's latency probe as if the server were blocking.
//   node --import tsx test/abuse/emulator-process.ts   prints the emulator's URL, serves until killed
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createIngramEmulator } from '../../src/backends/ingram/emulator/index.js';
import { serve } from '../../src/node/index.js';
import { TOKEN } from '../backends/ingram/ingram-test-kit.js';

const SELF = fileURLToPath(import.meta.url);

/** Starts the emulator in a child process; resolves with its URL and a way to stop it. */
export function startEmulatorProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      resolve({
        url: out.slice(0, nl).trim(),
        async close() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code}) before it started`)));
  });
}

if (process.argv[1] === SELF) {
  const handle = await serve(createIngramEmulator({ token: TOKEN }), { port: 0 });
  process.stdout.write(`${handle.url}\n`);
  process.once('SIGTERM', () => void handle.close().then(() => process.exit(0)));
}

// A @web/test-runner reporter that prints, after a run, the slowest test files and where their time
// went: waiting for a page to start and load the file ("start"), running its tests ("tests") and
// collecting results and closing the page ("stop"). A slow engine's log then says which files and
// which phase to look at. It also prints one `FAILED:` line per failed test (file, test path, first
// line of the error), which scripts/test.mjs repeats at the very end of the log: a CI log that keeps
// only its tail still names what failed. Session statuses come from the runner's own session manager.
import type { Reporter, TestSession } from '@web/test-runner';

interface Marks {
  file: string;
  initializing?: number;
  testStarted?: number;
  testFinished?: number;
  finished?: number;
  tests: number;
  testMs: number;
  failures: string[];
}

/** Sums the durations the browser reported for a session's tests. */
function countTests(session: TestSession): { tests: number; testMs: number; failures: string[] } {
  let tests = 0;
  let testMs = 0;
  const failures: string[] = [];
  const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0]!.slice(0, 300);
  const walk = (suite: NonNullable<TestSession['testResults']>, path: string[]) => {
    for (const t of suite.tests) {
      tests += 1;
      testMs += t.duration ?? 0;
      if (!t.passed && !t.skipped) failures.push(`${[...path, t.name].join(' › ')}: ${firstLine(t.error?.message)}`);
    }
    for (const s of suite.suites) walk(s, [...path, s.name]);
  };
  if (session.testResults) walk(session.testResults, []);
  // Errors outside any test (a file that failed to load, an error after the tests ended).
  for (const e of session.errors) failures.push(`(outside a test): ${firstLine(e.message)}`);
  return { tests, testMs, failures };
}

export function timingReporter({ top = 12 }: { top?: number } = {}): Reporter {
  const marks = new Map<string, Marks>();
  let began = 0;
  return {
    start({ sessions, startTime }) {
      began = startTime;
      sessions.on('session-status-updated', (session: TestSession) => {
        // The first pages start before reporters do: their start counts from the run's.
        const m = marks.get(session.id) ?? { file: session.testFile, initializing: began, tests: 0, testMs: 0, failures: [] };
        const now = Date.now();
        // The runner's SESSION_STATUS values; its TestSession type lists fewer than it sends.
        const status: string = session.status;
        if (status === 'INITIALIZING') m.initializing = now;
        else if (status === 'TEST_STARTED') m.testStarted = now;
        else if (status === 'TEST_FINISHED') m.testFinished = now;
        else if (status === 'FINISHED') {
          m.finished = now;
          Object.assign(m, countTests(session));
        }
        marks.set(session.id, m);
      });
    },
    onTestRunFinished() {
      const rows = [...marks.values()].filter((m) => m.initializing && m.finished);
      for (const m of marks.values()) for (const f of m.failures) console.log(`FAILED: ${m.file} › ${f}`);
      if (!rows.length) return;
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const total = rows.reduce((sum, m) => sum + (m.finished! - m.initializing!), 0);
      const start = rows.reduce((sum, m) => sum + ((m.testStarted ?? m.finished!) - m.initializing!), 0);
      const stop = rows.reduce((sum, m) => sum + (m.finished! - (m.testFinished ?? m.finished!)), 0);
      const tests = rows.reduce((sum, m) => sum + m.testMs, 0);
      console.log(
        `\nTime per file (${rows.length} files, ${s(Date.now() - began)} wall): in pages ${s(total)}, of which starting ${s(start)}, ` +
          `tests ${s(tests)} (as the browser timed them), stopping ${s(stop)}. Slowest files:`,
      );
      rows.sort((a, b) => b.finished! - b.initializing! - (a.finished! - a.initializing!));
      for (const m of rows.slice(0, top)) {
        const st = (m.testStarted ?? m.finished!) - m.initializing!;
        const sp = m.finished! - (m.testFinished ?? m.finished!);
        console.log(`  ${s(m.finished! - m.initializing!).padStart(7)}  start ${s(st)}, ${m.tests} tests ${s(m.testMs)}, stop ${s(sp)}  ${m.file}`);
      }
    },
  };
}

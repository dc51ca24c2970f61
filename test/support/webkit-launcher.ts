// WebKit for the browser suite: WebKitGTK's MiniBrowser driven by WebKitWebDriver (Debian's
// webkit2gtk-driver), on an Xvfb display of our own when none is set. Playwright's WebKit is a
// patched build it downloads, so it cannot be used; this drives the engine Debian ships.
//
// WebKitWebDriver holds one session per process, so each concurrent test page gets its own driver
// and MiniBrowser window, reused from one test file to the next. Each window also gets its own
// Xvfb display and sits over that display's centre: with no window manager, X gives keyboard focus
// to the window under the pointer (which Xvfb leaves at the centre), and WebKit matches :focus and
// :focus-visible, and renders at full rate, only in a focused window.
//
// The launcher reports type 'puppeteer' and hands @web/test-runner-commands a page object with the
// puppeteer methods those commands call (keyboard, setViewport, emulateMedia*): the commands
// dispatch on that type, and their WebDriver branch assumes webdriverio and has no setViewport.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserLauncher } from '@web/test-runner';
import { WebDriverSession, keyValue, waitForDriver } from './webdriver-client.js';

export interface WebKitPaths {
  /** WebKitWebDriver, from webkit2gtk-driver. */
  driver: string;
  /** MiniBrowser, from libwebkit2gtk-4.1-0. */
  browser: string;
  /** Xvfb: one display per window, so each window can have the focus. */
  xvfb: string;
}

/** The puppeteer viewport every test file starts with, as @web/test-runner-chrome sets it. */
const DEFAULT_VIEWPORT = { width: 800, height: 600 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts Xvfb on the first free display and resolves with its name (":N"). */
const SCREEN = { width: 1920, height: 1200 };

function startXvfb(xvfb: string): Promise<{ display: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    // -displayfd makes Xvfb pick a free display and write its number to fd 3.
    const child = spawn(xvfb, ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    let number = '';
    fd3.on('data', (chunk: Buffer) => {
      number += chunk.toString();
      if (number.includes('\n')) resolve({ display: `:${number.trim()}`, child });
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before giving a display: ${stderr.trim()}`)));
    child.once('error', reject);
  });
}

/**
 * MiniBrowser's toolbar holds its window to at least 447px wide, too wide for the phone-width
 * viewports (320px, 375px) the layout tests use. This GTK stylesheet shrinks the toolbar's own
 * widgets; web content is not drawn with GTK widgets, so pages render as they would anyway.
 */
const SHRUNK_TOOLBAR_CSS =
  'toolbar, toolbar *, entry, button { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; -gtk-icon-transform: scale(0.1); }\n';

/** A throwaway GTK config directory holding the stylesheet above. */
function gtkConfigHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ic-webkit-'));
  mkdirSync(join(dir, 'gtk-3.0'));
  writeFileSync(join(dir, 'gtk-3.0', 'gtk.css'), SHRUNK_TOOLBAR_CSS);
  return dir;
}

/** Page-like object for the test commands; see the file comment. */
class WebKitPage {
  constructor(private readonly session: WebDriverSession) {}

  readonly keyboard = {
    type: (text: string) =>
      this.session.keys(
        Array.from(text).flatMap((ch) => [
          { type: 'keyDown' as const, value: ch },
          { type: 'keyUp' as const, value: ch },
        ]),
      ),
    press: (key: string) =>
      this.session.keys([
        { type: 'keyDown', value: keyValue(key) },
        { type: 'keyUp', value: keyValue(key) },
      ]),
    down: (key: string) => this.session.keys([{ type: 'keyDown', value: keyValue(key) }]),
    up: (key: string) => this.session.keys([{ type: 'keyUp', value: keyValue(key) }]),
  };

  /** Sizes the window so the page's viewport (not the window) has the asked size. */
  async setViewport({ width, height }: { width: number; height: number }): Promise<void> {
    let target = { width, height };
    // The window's frame differs from build to build; measure it and correct once.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      // Centred on the screen, so the window stays under the pointer and keeps the focus.
      await this.session.setWindowRect({
        x: Math.max(0, Math.floor((SCREEN.width - target.width) / 2)),
        y: Math.max(0, Math.floor((SCREEN.height - target.height) / 2)),
        ...target,
      });
      const [innerWidth, innerHeight] = await this.settledViewport();
      if (innerWidth === width && innerHeight === height) return;
      target = { width: target.width + width - innerWidth, height: target.height + height - innerHeight };
    }
    throw new Error(`WebKit could not size its viewport to ${width}×${height}`);
  }

  /** The page sees a resize a little after the window has one: wait until two reads agree. */
  private async settledViewport(): Promise<[number, number]> {
    const read = () => this.session.execute<[number, number]>('return [innerWidth, innerHeight]');
    let last = await read();
    for (let i = 0; i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const next = await read();
      if (next[0] === last[0] && next[1] === last[1]) return next;
      last = next;
    }
    return last;
  }

  emulateMediaFeatures(): Promise<void> {
    return Promise.reject(new Error('WebDriver has no media-feature emulation: emulateMedia cannot run in WebKit'));
  }

  emulateMediaType(): Promise<void> {
    return this.emulateMediaFeatures();
  }
}

interface Slot {
  port: number;
  driver: ChildProcess;
  xvfb: ChildProcess;
  session?: WebDriverSession;
  page?: WebKitPage;
  busy: boolean;
}

export class WebKitLauncher implements BrowserLauncher {
  readonly name = 'WebKit';
  readonly type = 'puppeteer';
  private readonly slots: Slot[] = [];
  private readonly active = new Map<string, Slot>();
  private configHome?: string;
  private readonly killAll = () => this.killChildren();

  constructor(
    private readonly paths: WebKitPaths,
    readonly concurrency: number,
  ) {}

  async initialize(): Promise<void> {
    process.once('exit', this.killAll);
    this.configHome = gtkConfigHome();
    for (let i = 0; i < this.concurrency; i += 1) {
      const { display, child: xvfb } = await startXvfb(this.paths.xvfb);
      const port = await freePort();
      const driver = spawn(this.paths.driver, [`--port=${port}`], {
        stdio: 'ignore',
        env: { ...process.env, DISPLAY: display, XDG_CONFIG_HOME: this.configHome },
      });
      this.slots.push({ port, driver, xvfb, busy: false });
      await waitForDriver(`http://127.0.0.1:${port}`, 20000);
    }
  }

  private async sessionFor(slot: Slot): Promise<WebDriverSession> {
    if (!slot.session) {
      slot.session = await WebDriverSession.create(`http://127.0.0.1:${slot.port}`, {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: this.paths.browser, args: ['--automation'] },
        },
      });
      slot.page = new WebKitPage(slot.session);
    }
    return slot.session;
  }

  async startSession(sessionId: string, url: string): Promise<void> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) throw new Error(`No free WebKit window for ${sessionId}: more sessions than concurrency ${this.concurrency}`);
    slot.busy = true;
    this.active.set(sessionId, slot);
    try {
      await this.open(slot, url);
    } catch {
      // A crashed MiniBrowser takes its session with it: start a fresh one and try once more.
      await slot.session?.delete().catch(() => undefined);
      slot.session = undefined;
      await this.open(slot, url);
    }
  }

  private async open(slot: Slot, url: string): Promise<void> {
    const session = await this.sessionFor(slot);
    await slot.page!.setViewport(DEFAULT_VIEWPORT);
    await session.navigate(url);
  }

  isActive(sessionId: string): boolean {
    return this.active.has(sessionId);
  }

  async getBrowserUrl(sessionId: string): Promise<string | undefined> {
    return this.active.get(sessionId)?.session?.url();
  }

  getPage(sessionId: string): WebKitPage {
    const page = this.active.get(sessionId)?.page;
    if (!page) throw new Error(`No WebKit page for session ${sessionId}`);
    return page;
  }

  async stopSession(sessionId: string): Promise<{ errors?: { message: string }[] }> {
    const slot = this.active.get(sessionId);
    if (!slot) throw new Error(`No WebKit page for session ${sessionId}`);
    this.active.delete(sessionId);
    try {
      // Leaves the test page so its timers and streams stop before the next file loads.
      await slot.session?.navigate('about:blank');
    } catch {
      await slot.session?.delete().catch(() => undefined);
      slot.session = undefined;
    }
    slot.busy = false;
    return {};
  }

  startDebugSession(): Promise<void> {
    return Promise.reject(new Error('Debugging is not supported in the WebKit launcher; use Chromium (--manual) instead.'));
  }

  async stop(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.session?.delete().catch(() => undefined)));
    this.killChildren();
    process.off('exit', this.killAll);
  }

  private killChildren(): void {
    for (const slot of this.slots) {
      slot.driver.kill();
      slot.xvfb.kill();
    }
    if (this.configHome) rmSync(this.configHome, { recursive: true, force: true });
  }
}

export function webkitLauncher(paths: WebKitPaths, concurrency = 2): BrowserLauncher {
  return new WebKitLauncher(paths, concurrency);
}

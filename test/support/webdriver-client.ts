// The few W3C WebDriver commands the WebKit launcher needs, spoken over plain HTTP. webdriverio
// would do it too, but it pulls in driver downloaders (geckodriver, edgedriver) whose install
// scripts fetch binaries, which no test tool may do here.

/** Thrown when the driver answers with a WebDriver error. */
export class WebDriverError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

async function call(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: Json): Promise<Json> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json()) as { value: Json };
  const value = payload.value;
  if (!response.ok) {
    const error = (value ?? {}) as { error?: string; message?: string };
    throw new WebDriverError(error.error ?? `HTTP ${response.status}`, error.message ?? '');
  }
  return value;
}

/** Resolves once the driver at `base` answers /status, or rejects after `timeoutMs`. */
export async function waitForDriver(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await call(base, 'GET', '/status');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`WebDriver at ${base} did not answer within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** W3C key codes for the puppeteer key names the test commands send. */
const KEYS: Record<string, string> = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  Space: ' ',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  Meta: '\uE03D',
};

export function keyValue(name: string): string {
  const value = KEYS[name] ?? (Array.from(name).length === 1 ? name : undefined);
  if (value === undefined) throw new Error(`Unknown key for WebDriver: "${name}"`);
  return value;
}

/** One WebDriver session: a browser window the tests drive. */
export class WebDriverSession {
  private constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  static async create(base: string, capabilities: Json): Promise<WebDriverSession> {
    const value = (await call(base, 'POST', '/session', { capabilities })) as { sessionId: string };
    return new WebDriverSession(base, value.sessionId);
  }

  private command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: Json): Promise<Json> {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async navigate(url: string): Promise<void> {
    await this.command('POST', '/url', { url });
  }

  async url(): Promise<string> {
    return String(await this.command('GET', '/url'));
  }

  execute<T extends Json>(script: string, args: Json[] = []): Promise<T> {
    return this.command('POST', '/execute/sync', { script, args }) as Promise<T>;
  }

  async setWindowRect(rect: { x: number; y: number; width: number; height: number }): Promise<void> {
    await this.command('POST', '/window/rect', rect);
  }

  /** Presses and releases keys through the Actions API, so they reach the focused element as real key events. */
  async keys(actions: Array<{ type: 'keyDown' | 'keyUp'; value: string }>): Promise<void> {
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  async delete(): Promise<void> {
    await this.command('DELETE', '');
  }
}

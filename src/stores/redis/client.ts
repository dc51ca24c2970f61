// The few Redis commands the stores use, typed by shape rather than by library: a node-redis v5
// client fits as it is; ioredis or a REST client (Upstash) fits through a few-line adapter
// (docs/deploying.md). Everything that must be atomic runs as one Lua script, so EVAL is the core.

/** Keys and arguments of a script, as node-redis v5 takes them. */
export interface RedisScriptArgs {
  keys: string[];
  arguments: string[];
}

/** A connection that runs commands (node-redis v5: `await createClient({url}).connect()`). */
export interface RedisCommandClient {
  /** EVAL: runs a Lua script atomically. */
  eval(script: string, options: RedisScriptArgs): Promise<unknown>;
  /** EVALSHA, when the client has it: saves sending each script's text on every call. */
  evalSha?(sha1: string, options: RedisScriptArgs): Promise<unknown>;
}

/** A listener of one pub/sub channel. */
export type RedisMessageListener = (message: string, channel: string) => unknown;

/**
 * A connection in subscriber mode, used by the run bus only (node-redis v5:
 * `await client.duplicate().connect()`: a subscribed connection cannot run other commands).
 */
export interface RedisSubscriber {
  subscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  unsubscribe(channel: string, listener?: RedisMessageListener): Promise<unknown>;
}

/** A Lua script that runs by its SHA1 once Redis has it, and by its text otherwise. */
export class RedisScript {
  readonly source: string;
  #sha: Promise<string> | undefined;

  constructor(source: string) {
    // Redis before 7 replicates scripts verbatim unless told to replicate their effects, and a
    // script that reads TIME before writing must be replicated by its effects.
    this.source = `if redis.replicate_commands then pcall(redis.replicate_commands) end\n${source}`;
  }

  async run(client: RedisCommandClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    if (!client.evalSha) return client.eval(this.source, options);
    this.#sha ??= sha1Hex(this.source);
    try {
      return await client.evalSha(await this.#sha, options);
    } catch (err) {
      // First call on this server (or after SCRIPT FLUSH or a failover): EVAL loads it.
      if (!/NOSCRIPT/i.test(String((err as { message?: unknown })?.message ?? err))) throw err;
      return client.eval(this.source, options);
    }
  }
}

/** `value` when it is a positive, finite number; a TypeError naming the option otherwise. */
export function positiveOption(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

/**
 * Sends `script` by its text (EVAL), never by its SHA1: for an undo sent while Redis is not
 * answering, which must still run when it answers again, even if the script is new to it (an
 * EVALSHA's NOSCRIPT would come after its caller stopped waiting, with nobody to send the text).
 */
export function evalNow(script: RedisScript, client: RedisCommandClient, keys: string[], args: Array<string | number>): Promise<unknown> {
  return client.eval(script.source, { keys, arguments: args.map(String) });
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Redis's own clock in milliseconds, inside a script: one clock for every instance, skew or not. */
export const LUA_NOW = `local __t = redis.call('TIME')
local now = tonumber(__t[1]) * 1000 + math.floor(tonumber(__t[2]) / 1000)`;

/** A random id for members and tokens (WebCrypto, so it runs on edge runtimes too). */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

import type { RunBus, RunCommand, RunHold } from '../../backends/core/stores.js';
import { randomId, RedisScript, type RedisCommandClient, type RedisSubscriber } from './client.js';

// A hold is a key (`run:<id>` → token + owner) that expires on its own, and a subscription to the
// run's own channel. PUBLISH counts the connections that got a message, so `send` knows whether
// the holder heard it, without an acknowledgement round trip.
const TOKEN_LENGTH = 32;

const HOLD = new RedisScript(`redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);

// Deletes the hold only if it is still ours (a later hold of the same run id stays).
const RELEASE = new RedisScript(`if string.sub(redis.call('GET', KEYS[1]) or '', 1, ${TOKEN_LENGTH}) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

const OWNER = new RedisScript(`return redis.call('GET', KEYS[1])`);

// Only a held run is told anything: after the hold expires, a still-subscribed instance is not asked.
const SEND = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('PUBLISH', ARGV[1], ARGV[2])`);

function parseCommand(message: string): RunCommand | null {
  try {
    const command = JSON.parse(message) as { type?: unknown };
    return command?.type === 'cancel' ? { type: 'cancel' } : null;
  } catch {
    return null;
  }
}

/**
 * A `RunBus` over Redis: ownership in keys with a TTL, commands over pub/sub. Without a subscriber
 * connection the runs are still registered (so `owner` answers everywhere) but no command can
 * reach them, and `send` says so by returning `false`.
 */
export class RedisRunBus implements RunBus {
  readonly #client: RedisCommandClient;
  readonly #subscriber: RedisSubscriber | undefined;
  readonly #prefix: string;

  constructor(client: RedisCommandClient, subscriber: RedisSubscriber | undefined, prefix: string) {
    this.#client = client;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
  }

  #key(runId: string): string {
    return `${this.#prefix}run:${runId}`;
  }

  async hold(runId: string, owner: string, ttlMs: number, onCommand: (command: RunCommand) => void): Promise<RunHold> {
    if (!(ttlMs > 0)) throw new TypeError('hold needs ttlMs > 0');
    const key = this.#key(runId);
    const token = randomId();
    const listener = (message: string) => {
      const command = parseCommand(message);
      if (command) onCommand(command);
    };
    // Subscribed before the hold is visible, so a command sent as soon as `owner` answers is heard.
    await this.#subscriber?.subscribe(key, listener);
    try {
      await HOLD.run(this.#client, [key], [token + owner, Math.ceil(ttlMs)]);
    } catch (err) {
      await this.#subscriber?.unsubscribe(key, listener).catch(() => {});
      throw err;
    }
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          try {
            await RELEASE.run(this.#client, [key], [token]);
          } finally {
            await this.#subscriber?.unsubscribe(key, listener);
          }
        })()),
    };
  }

  async owner(runId: string): Promise<string | null> {
    const value = await OWNER.run(this.#client, [this.#key(runId)], []);
    return typeof value === 'string' && value.length > TOKEN_LENGTH ? value.slice(TOKEN_LENGTH) : null;
  }

  async send(runId: string, command: RunCommand): Promise<boolean> {
    const key = this.#key(runId);
    const heard = Number(await SEND.run(this.#client, [key], [key, JSON.stringify(command)]));
    return heard > 0;
  }
}

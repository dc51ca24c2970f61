// One instance's support handler as the resume tests build it: the Ingram backend on an emulator,
// every store on Redis, production mode, no rate limits (the tests send many requests from one address).
import { createSupportHandler, type SupportHandler } from '../../src/backends/core/index.js';
import { createIngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import type { RedisStores } from '../../src/stores/redis/index.js';

export const TOKEN = 'ic_test_token_5f1e0c9a7b3d';

export function ingramOnRedis(options: { stores: RedisStores; emulatorUrl: string; secret: string; onError?: (err: unknown) => void }): SupportHandler {
  const { stores, emulatorUrl, secret, onError = () => {} } = options;
  const backend = createIngramBackend({ token: TOKEN, baseUrl: emulatorUrl, agentId: EMULATOR_AGENT_ID, cookie: { secret }, directory: stores.smithDirectory });
  return createSupportHandler({
    backend,
    basePath: '/api/support',
    cookie: { secret },
    stores,
    production: true,
    rateLimit: false,
    newVisitorLimit: false,
    onError,
  });
}

// Every entry a server imports, resolved by package name to dist/ (see tsconfig.json), so their
// declarations are checked with the Node types alone: a DOM-only name in a public signature fails here.
import * as core from 'ic-support-chat/backends/core';
import * as local from 'ic-support-chat/backends/local';
import * as ingram from 'ic-support-chat/backends/ingram';
import * as emulator from 'ic-support-chat/backends/ingram/emulator';
import * as aiSdk from 'ic-support-chat/backends/ai-sdk';
import * as testing from 'ic-support-chat/backends/testing';
import * as node from 'ic-support-chat/node';
import * as protocol from 'ic-support-chat/protocol';
import * as redisStores from 'ic-support-chat/stores/redis';

export const entries = { core, local, ingram, emulator, aiSdk, testing, node, protocol, redisStores };

// A typical server, so the signatures are used and not only loaded.
const handler = core.createSupportHandler({
  basePath: '/api/support',
  backend: local.createLocalBackend({ articlesDir: './help', productName: 'Acme' }),
  identify: async () => null,
});
export const listener: node.NodeListener = node.toNodeListener(handler);
export const notFound = new core.SupportError('not_found', 'No such thing', { status: 404 });
export const nodeFetch: node.NodeFetch = node.createNodeFetch({ keepAlive: true });

// The Redis stores over a client typed by shape only (what an ioredis adapter would pass).
export const stores: redisStores.RedisStores = redisStores.createRedisStores({
  client: { eval: async (_script: string, _options: redisStores.RedisScriptArgs) => null },
  prefix: 'app:',
});

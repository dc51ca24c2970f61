// Production mode refuses the defaults that only make sense on one developer machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSupportHandler, InMemoryThreadIndex } from '../../../src/backends/core/index.js';
import { InMemoryConcurrencyStore, InMemoryRateLimitStore, InMemoryRunBus, InMemoryRunLogStore } from '../../../src/backends/core/memory-stores.js';
import { echoRun } from './support-test-kit.js';

const SECRET = 'prod-secret-0123456789abcdef0123456789abcdef';
const stores = { rateLimit: new InMemoryRateLimitStore(), concurrency: new InMemoryConcurrencyStore(), runBus: new InMemoryRunBus(), runLog: new InMemoryRunLogStore() };

describe('production mode', () => {
  it('refuses a missing cookie secret, naming cookie.secret', () => {
    assert.throws(() => createSupportHandler({ backend: { run: echoRun }, production: true, stores }), /cookie\.secret is not set/);
  });

  it('refuses stores left in memory, naming each and the way out', () => {
    assert.throws(
      () => createSupportHandler({ backend: { run: echoRun }, production: true, cookie: { secret: SECRET } }),
      (err: Error) =>
        /stores\.rateLimit, stores\.concurrency, stores\.runBus/.test(err.message) && /createRedisStores/.test(err.message) && /singleInstance: true/.test(err.message),
    );
  });

  it('refuses a list of past conversations in memory when the backend keeps them', () => {
    const backend = { run: echoRun, threadMessages: async () => null };
    assert.throws(() => createSupportHandler({ backend, production: true, cookie: { secret: SECRET }, stores }), /stores\.threads would be kept in this process's memory/);
    assert.equal(typeof createSupportHandler({ backend, production: true, cookie: { secret: SECRET }, stores: { ...stores, threads: new InMemoryThreadIndex() } }), 'function');
  });

  it("refuses a backend's own in-memory state", () => {
    assert.throws(
      () => createSupportHandler({ backend: { run: echoRun, inMemoryState: ['directory'] }, production: true, cookie: { secret: SECRET }, stores }),
      /the backend keeps its directory in this process's memory/,
    );
  });

  it('starts with a secret and shared stores, or with singleInstance', () => {
    assert.equal(typeof createSupportHandler({ backend: { run: echoRun }, production: true, cookie: { secret: SECRET }, stores }), 'function');
    assert.equal(
      typeof createSupportHandler({ backend: { run: echoRun, inMemoryState: ['directory'] }, production: true, cookie: { secret: SECRET }, singleInstance: true }),
      'function',
    );
    // singleInstance never excuses the secret: a restart would still lose every visitor.
    assert.throws(() => createSupportHandler({ backend: { run: echoRun }, production: true, singleInstance: true }), /cookie\.secret/);
  });

  it('follows NODE_ENV unless told otherwise', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      assert.throws(() => createSupportHandler({ backend: { run: echoRun } }), /NODE_ENV=production/);
      assert.equal(typeof createSupportHandler({ backend: { run: echoRun }, production: false }), 'function');
    } finally {
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
    }
  });
});

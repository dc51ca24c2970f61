// The Lua scripts of the Redis run log (run-log.ts): each runs atomically on the Redis side.
import { RedisScript } from './client.js';

export const OPEN = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'o', ARGV[1], 't', ARGV[2], 'last', 0, 'term', 0, 'bytes', 0)
else
  redis.call('HSET', KEYS[1], 'term', 0)
end
local owner = redis.call('HGET', KEYS[1], 'o')
local thread = redis.call('HGET', KEYS[1], 't')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
redis.call('SET', KEYS[3], owner, 'PX', ARGV[4])
redis.call('SET', KEYS[4], ARGV[5] .. '\\n' .. thread, 'PX', ARGV[3])
return 1`);

// Appends of many runs in one call: the entries of every run this instance wrote during one turn of
// the event loop (see `RedisRunLogStore.append`). KEYS: per run, meta, stream, tombstone, active.
// ARGV: maxEvents, maxBytes, ttl, notice; then per run: runId, channel, n, and n × (seq, json, terminal).
// A run's entries are consecutive and only its last can be terminal (a continuation reopens the log
// first, and `open` waits for what this instance still has to write). Entries missing before one (a
// failed write, or appends refused past `maxUnwrittenBytes`) leave a gap, at which every reader
// stops: a resume never skips over it.
export const APPEND = new RedisScript(`local maxEvents = tonumber(ARGV[1])
local maxBytes = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local notice = tonumber(ARGV[4])
local a = 5
for k = 1, #KEYS, 4 do
  local meta, stream, tomb, active = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local runId, channel, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  if redis.call('EXISTS', meta) == 1 then
    local added, last, term = 0, nil, '0'
    for i = 1, n do
      local seq, json = ARGV[a], ARGV[a + 1]
      -- One refused entry (a number already taken) must not cost the other runs theirs.
      local ok = redis.pcall('XADD', stream, seq .. '-0', 'e', json)
      if type(ok) ~= 'table' or not ok.err then
        added = added + string.len(json)
        last, term = seq, ARGV[a + 2]
        redis.call('PUBLISH', channel, seq .. '\\n' .. json)
      end
      a = a + 3
    end
    if last then
      local bytes = redis.call('HINCRBY', meta, 'bytes', added)
      while true do
        local count = redis.call('XLEN', stream)
        if not (count > maxEvents or (bytes > maxBytes and count > 1)) then break end
        local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
        redis.call('XDEL', stream, oldest[1])
        bytes = redis.call('HINCRBY', meta, 'bytes', -string.len(oldest[2][2]))
      end
      redis.call('HSET', meta, 'last', last, 'term', term)
      if term == '1' then
        redis.call('PEXPIRE', meta, ttl)
        redis.call('PEXPIRE', stream, ttl)
        redis.call('SET', tomb, redis.call('HGET', meta, 'o'), 'PX', ttl + notice)
        local current = redis.call('GET', active) or ''
        if string.sub(current, 1, string.len(runId) + 1) == runId .. '\\n' then redis.call('DEL', active) end
      elseif redis.call('PTTL', stream) < 0 then
        redis.call('PEXPIRE', stream, redis.call('PTTL', meta))
      end
    end
  else
    a = a + n * 3
  end
end
return 1`);

export const READ = new RedisScript(`return redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])`);

export const LOOKUP = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 1 then
  local m = redis.call('HMGET', KEYS[1], 'o', 't', 'last', 'term')
  local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  return {'found', m[1], m[2], m[3], m[4], first and first[1] or ''}
end
local owner = redis.call('GET', KEYS[3])
if owner then return {'expired', owner} end
return {'unknown'}`);

export const GET = new RedisScript(`return redis.call('GET', KEYS[1])`);

// 'c' names the request that claimed the key, so a claim Redis ran after its caller gave up is
// taken back (UNCLAIM) and nobody else's.
export const CLAIM = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('HMGET', KEYS[1], 'f', 'r')
end
redis.call('HSET', KEYS[1], 'f', ARGV[1], 'r', '', 'c', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false`);

export const UNCLAIM = new RedisScript(`if redis.call('HGET', KEYS[1], 'c') == ARGV[1] and (redis.call('HGET', KEYS[1], 'r') or '') == '' then
  return redis.call('DEL', KEYS[1])
end
return 0`);

// An OPEN Redis ran after its caller gave up (the run never started): the visitor's active run no
// longer names it, a new run's log goes, a continuation's log is settled again as before.
export const UNOPEN = new RedisScript(`local current = redis.call('GET', KEYS[2]) or ''
if string.sub(current, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '\\n' then redis.call('DEL', KEYS[2]) end
local last = redis.call('HGET', KEYS[1], 'last')
if last == '0' then redis.call('DEL', KEYS[1]) elseif last then redis.call('HSET', KEYS[1], 'term', 1) end
return 1`);

// The key lives as long as the run's log: a repeat after that finds neither, and starts anew.
export const BIND = new RedisScript(`if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1])
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`);

export const RELEASE = new RedisScript(`if (redis.call('HGET', KEYS[1], 'r') or '') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

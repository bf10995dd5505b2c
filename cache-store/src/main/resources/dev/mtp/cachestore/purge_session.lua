-- A deleted session: guarded by the session key's versions, removes the session's interactions (from its index),
-- its latest response and its index, and leaves a tombstone on the session key.
-- KEYS[1] session key, KEYS[2] latest-response key, KEYS[3] index key; ARGV[1] tombstone, ARGV[2] its TTL in ms,
-- ARGV[3] the prefix of the session's interaction keys (same hash tag, so the same slot), ARGV[4] 'supersede' or
-- 'keep'. Returns decide's answer (put.lua: 1 or 2 removed).
local d = decide(versions(ARGV[1]), versions(redis.call('GET', KEYS[1])), ARGV[4])
if not applies(d) then return d end
local ids = redis.call('GET', KEYS[3])
if ids then
  for id in string.gmatch(ids, '[^\n]+') do
    redis.call('UNLINK', ARGV[3] .. id)
  end
end
redis.call('UNLINK', KEYS[2], KEYS[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return d

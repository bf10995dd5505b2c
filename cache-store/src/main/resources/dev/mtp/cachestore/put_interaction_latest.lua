-- An interaction that is also its session's latest: the guarded put of put_interaction.lua and the guarded put of
-- the latest-response key, in one call (one round trip, one slot: the keys share the session's hash tag).
-- KEYS[1] interaction key, KEYS[2] index key, KEYS[3] latest-response key; ARGV[1] interaction value, ARGV[2] its
-- expiry (epoch ms), ARGV[3] interaction id, ARGV[4] latest-response value, ARGV[5] its expiry, ARGV[6] 'supersede'
-- or 'keep'. Each key is decided on its own versions. Returns (r1 + 2) * 5 + (r2 + 2), r each decide's answer
-- (put.lua: -2 to 2).
local function put_interaction()
  local d = decide(versions(ARGV[1]), versions(redis.call('GET', KEYS[1])), ARGV[6])
  if not applies(d) then return d end
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
  index_add(KEYS[2], ARGV[3], ARGV[2])
  return d
end
local function put_latest()
  local d = decide(versions(ARGV[4]), versions(redis.call('GET', KEYS[3])), ARGV[6])
  if not applies(d) then return d end
  redis.call('SET', KEYS[3], ARGV[4], 'PXAT', ARGV[5])
  return d
end
local r1 = put_interaction()
local r2 = put_latest()
return (r1 + 2) * 5 + (r2 + 2)

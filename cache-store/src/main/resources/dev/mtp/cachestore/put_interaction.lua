-- Guarded put of an interaction, adding its id to the session's interaction index.
-- KEYS[1] interaction key, KEYS[2] index key; ARGV[1] value, ARGV[2] expiry (epoch ms), ARGV[3] interaction id,
-- ARGV[4] 'supersede' or 'keep'. The index lives as long as its longest-lived member. Returns decide's answer (put.lua).
local d = decide(versions(ARGV[1]), versions(redis.call('GET', KEYS[1])), ARGV[4])
if not applies(d) then return d end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
index_add(KEYS[2], ARGV[3], ARGV[2])
return d

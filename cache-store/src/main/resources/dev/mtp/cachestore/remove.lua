-- Guarded removal: the key becomes a tombstone carrying the removing versions, for ARGV[2] ms, so that a late
-- write of older state cannot recreate it. KEYS[1] the key; ARGV[1] the tombstone; ARGV[2] its TTL in ms;
-- ARGV[3] '1' to leave a tombstone even when the key is absent, '0' to do nothing then; ARGV[4] 'supersede' or 'keep'.
-- Returns decide's answer (put.lua: 1 or 2 removed), or 3 nothing was there.
local cur = redis.call('GET', KEYS[1])
if not cur and ARGV[3] ~= '1' then return 3 end
local d = decide(versions(ARGV[1]), versions(cur), ARGV[4])
if not applies(d) then return d end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return d

-- Guarded removal: the key becomes a tombstone carrying the removing versions, for ARGV[2] ms, so that a late
-- write of older state cannot recreate it. KEYS[1] the key; ARGV[1] the tombstone; ARGV[2] its TTL in ms;
-- ARGV[3] '1' to leave a tombstone even when the key is absent, '0' to do nothing then.
-- Returns 1 removed, 0 duplicate, -1 stale, 2 nothing was there.
local cur = redis.call('GET', KEYS[1])
if not cur and ARGV[3] ~= '1' then return 2 end
local d = decide(versions(ARGV[1]), versions(cur))
if d ~= 1 then return d end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1

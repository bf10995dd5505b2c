-- Guarded put. KEYS[1] the key; ARGV[1] the value (with its versions); ARGV[2] absolute expiry, epoch ms.
-- Value and expiry are set by one SET ... PXAT: the key never lives without its TTL.
-- Returns 1 written, 0 duplicate, -1 stale.
local d = decide(versions(ARGV[1]), versions(redis.call('GET', KEYS[1])))
if d ~= 1 then return d end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1

-- Guarded put. KEYS[1] the key; ARGV[1] the value (with its versions); ARGV[2] absolute expiry, epoch ms;
-- ARGV[3] 'supersede' or 'keep' (state of another incarnation). Value and expiry are set by one SET ... PXAT: the key
-- never lives without its TTL. Returns decide's answer: 1 written, 2 written over another incarnation, 0 duplicate,
-- -1 stale, -2 another incarnation kept.
local d = decide(versions(ARGV[1]), versions(redis.call('GET', KEYS[1])), ARGV[3])
if not applies(d) then return d end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return d

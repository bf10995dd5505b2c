-- The value and its absolute expiry (epoch ms; -1 none, -2 no key), read atomically. KEYS[1] the key.
return {redis.call('GET', KEYS[1]), redis.call('PEXPIRETIME', KEYS[1])}

-- Shared by every script of cache-store (docs/decisions/0002). A value is
--   <format><strategy>:<versions>|<body>      e.g. j1:12,7|{...}   or the tombstone t0:12,7|
-- and <versions> are Kafka offsets (or -1), one per owning topic, compared exactly as decimal strings.

local function cmp(a, b)
  if a == b then return 0 end
  if a == '-1' then return -1 end
  if b == '-1' then return 1 end
  if #a ~= #b then
    if #a < #b then return -1 else return 1 end
  end
  for i = 1, #a do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      if x < y then return -1 else return 1 end
    end
  end
  return 0
end

-- The versions of a stored value, or nil when there is none or it is not of this layout (then it is replaced).
local function versions(v)
  if not v or #v < 5 or string.sub(v, 3, 3) ~= ':' then return nil end
  local bar = string.find(v, '|', 4, true)
  if not bar then return nil end
  return string.sub(v, 4, bar - 1)
end

local function split(s)
  local out = {}
  for part in string.gmatch(s, '[^,]+') do out[#out + 1] = part end
  return out
end

-- 1: incoming supersedes stored (every component >= and one >), 0: duplicate, -1: stale (older in a component).
local function decide(incoming, stored)
  if stored == nil then return 1 end
  if incoming == stored then return 0 end
  local a, b = split(incoming), split(stored)
  if #a ~= #b then return 1 end
  local greater = false
  for i = 1, #a do
    local c = cmp(a[i], b[i])
    if c < 0 then return -1 end
    if c > 0 then greater = true end
  end
  if greater then return 1 end
  return 0
end

-- Adds an id to the session's interaction index (ids, each ending in a newline: a string costs a fraction of a set)
-- and makes the index live as long as its longest-lived member.
local function index_add(key, id, expire_at)
  local cur = redis.call('GET', key)
  if not cur or not string.find('\n' .. cur, '\n' .. id .. '\n', 1, true) then
    redis.call('APPEND', key, id .. '\n')
  end
  local at = redis.call('PEXPIRETIME', key)
  if at < 0 or at < tonumber(expire_at) then
    redis.call('PEXPIREAT', key, expire_at)
  end
end

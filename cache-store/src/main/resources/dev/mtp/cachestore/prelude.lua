-- Shared by every script of cache-store (docs/decisions/0002, 0012). A value is
--   <format><strategy>:<versions>|<body>      e.g. j2:12.AbCdEfGh,7.IjKlMnOp|{...}   or the tombstone t0:12.AbCdEfGh,-1|
-- and each of <versions> is a Kafka offset in one incarnation of its topic, <offset>.<tag>, one per owning topic;
-- -1 is no event yet, and -1.<tag> no event yet in that incarnation; a component without a tag was written before
-- incarnations were recorded (it counts as another incarnation). Offsets are compared exactly as decimal strings.

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

-- A component's offset and incarnation tag ('' when it has none).
local function component(c)
  local dot = string.find(c, '.', 1, true)
  if not dot then return c, '' end
  return string.sub(c, 1, dot - 1), string.sub(c, dot + 1)
end

-- One component, as VersionRule.decide: 1 apply, 0 duplicate, -1 stale, 2 apply over another incarnation (the writer
-- supersedes it), -2 another incarnation the writer keeps.
local function decide_component(a, b, supersede)
  local ao, at = component(a)
  local bo, bt = component(b)
  if bo == '-1' then
    if ao == '-1' then return 0 end
    return 1
  end
  if ao == '-1' then
    -- nothing yet in the consumed incarnation replaces what another one left; an untagged -1 never does
    if at == '' or at == bt then return -1 end
    if supersede then return 2 end
    return -2
  end
  if at == bt then return cmp(ao, bo) end
  if supersede then return 2 end
  return -2
end

-- Whether a write at versions <incoming> applies over <stored> (nil: nothing, or not of this layout: replaced);
-- <others> is the writer's 'supersede' or 'keep' for state of another incarnation (VersionRule.OtherIncarnations).
-- A component stale within its incarnation makes the write stale even when another applies (it would take that
-- component back); else one of another incarnation that the writer keeps skips it; else one that applies applies it.
-- Returns 1 apply, 2 apply replacing another incarnation, 0 duplicate, -1 stale, -2 another incarnation, kept.
local function decide(incoming, stored, others)
  if stored == nil then return 1 end
  if incoming == stored then return 0 end
  local a, b = split(incoming), split(stored)
  if #a ~= #b then return 1 end
  if others ~= 'supersede' and others ~= 'keep' then error('others must be supersede or keep, not ' .. tostring(others)) end
  local supersede = others == 'supersede'
  local kept, applies, crossed = false, false, false
  for i = 1, #a do
    local d = decide_component(a[i], b[i], supersede)
    if d == -1 then return -1 end
    if d == -2 then kept = true end
    if d == 1 then applies = true end
    if d == 2 then crossed = true end
  end
  if kept then return -2 end
  if crossed then return 2 end
  if applies then return 1 end
  return 0
end

-- True when decide's answer writes.
local function applies(d)
  return d == 1 or d == 2
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

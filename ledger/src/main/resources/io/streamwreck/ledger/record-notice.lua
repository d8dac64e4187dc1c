-- Records one notice atomically (all keys share the shard's hash tag). See LedgerLayout for the keys.
-- KEYS[1] meta, KEYS[2] recorded-notice ids, KEYS[3..2+r] range keys (KEYS[3] may be the wide-range key),
-- KEYS[3+r..] bucket keys.
-- ARGV: shift, notice id hash, ttl seconds, r, b, then per range key: first, last (fixed-width binary),
-- then per bucket key: n, then n fields.
-- Returns {1, keys recorded, keys now counted twice or more} | {0} when the notice was already recorded |
-- {-1, shift} when the shard already uses another bucket shift (the caller recomputes and retries).

-- Byte-wise comparison of equal-length binary strings: Lua's '<' follows the server's locale.
local function cmp(x, y)
  for i = 1, #x do
    local a, b = string.byte(x, i), string.byte(y, i)
    if a ~= b then
      if a < b then return -1 else return 1 end
    end
  end
  return 0
end

local ttl = ARGV[3]
local shift = redis.call('HGET', KEYS[1], 's')
if not shift then
  redis.call('HSET', KEYS[1], 's', ARGV[1])
  shift = ARGV[1]
end
redis.call('EXPIRE', KEYS[1], ttl)
if shift ~= ARGV[1] then
  return {-1, tonumber(shift)}
end

if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then
  return {0}
end
redis.call('EXPIRE', KEYS[2], ttl)

local r = tonumber(ARGV[4])
local b = tonumber(ARGV[5])
local a = 6
-- Delivered ranges: merge the new one with every range it overlaps. Range keys hold few members.
for i = 1, r do
  local key = KEYS[2 + i]
  local first, last = ARGV[a], ARGV[a + 1]
  a = a + 2
  local w = #first
  for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    local f, l = string.sub(m, 1, w), string.sub(m, w + 1)
    if cmp(l, first) >= 0 and cmp(f, last) <= 0 then
      if cmp(f, first) < 0 then first = f end
      if cmp(l, last) > 0 then last = l end
      redis.call('ZREM', key, m)
    end
  end
  redis.call('ZADD', key, 0, first .. last)
  redis.call('EXPIRE', key, ttl)
end

local recorded, duplicated = 0, 0
for j = 1, b do
  local key = KEYS[2 + r + j]
  local n = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, n do
    if redis.call('HINCRBY', key, ARGV[a], 1) >= 2 then
      duplicated = duplicated + 1
    end
    recorded = recorded + 1
    a = a + 1
  end
  redis.call('EXPIRE', key, ttl)
end
return {1, recorded, duplicated}

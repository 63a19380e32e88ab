-- Token bucket of one shop, taken atomically: read, refill, take, write in one script.
-- KEYS[1] = rl:{shopId}; ARGV[1] = capacity (tokens); ARGV[2] = refill (tokens per second).
-- Returns {1, 0} when a token was taken, {0, retryAfterMillis} when the bucket is empty.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
-- The Redis server's clock, not the app's: every instance of the cell shares one bucket, and
-- their clocks disagree. Milliseconds, because Lua stores numbers as 14 significant digits
-- (HSET of a microsecond timestamp would round it).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
-- After capacity / rate seconds idle the bucket is full again, the same as no key: let it go.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return {allowed, retry}

-- Token bucket of one shop, taken atomically: read, refill, give back, take, write in one script.
-- KEYS[1] = rl:{shopId}; ARGV[1] = capacity (tokens); ARGV[2] = refill (tokens per second);
-- ARGV[3] = tokens wanted (an instance leases several at once and spends them locally);
-- ARGV[4] = tokens given back (the unspent rest of the instance's expired lease).
-- Returns {granted, 0} when 1..wanted tokens were taken, {0, retryAfterMillis} when the bucket is empty.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3]) or 1
local returned = tonumber(ARGV[4]) or 0
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
-- Given-back tokens were taken and never spent; the cap keeps the bucket from ever exceeding its size.
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000 + returned)
local granted = math.min(wanted, math.floor(tokens))
local retry = 0
if granted >= 1 then
  tokens = tokens - granted
else
  granted = 0
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
-- After capacity / rate seconds idle the bucket is full again, the same as no key: let it go.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return {granted, retry}

-- Renews the leases of one instance's workers on a URI and names the owners whose lease has
-- expired (their processing lists are for a reaper: reap.lua), in one round trip, on Redis's clock.
-- KEYS[1] the URI's leases    juggler:calls:leases:{uri}
-- ARGV[1] the lease in milliseconds
-- ARGV[2..n] this instance's owners (renewed, so never among the expired)
-- Returns the expired owners.
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call("ZADD", KEYS[1], now + lease, ARGV[i])
end
-- the set outlives every lease in it by two leases, and every claimed call by two (claim.lua): kept
-- while any owner renews, gone soon after the last one stops; never shortened here
if redis.call("PTTL", KEYS[1]) < lease * 3 then
  redis.call("PEXPIRE", KEYS[1], lease * 3)
end
return redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", "(" .. now)

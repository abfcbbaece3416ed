-- Registers a call or a result (spec section 6.3), atomically.
-- KEYS[1] expiry key   juggler:calls:timeout:{uri}:msg  or  juggler:results:timeout:{conn}:msg
-- KEYS[2] list key     juggler:calls:{uri}              or  juggler:results:{conn}
-- ARGV[1] time-to-live in milliseconds (> 0)
-- ARGV[2] payload (JSON)
-- ARGV[3] list capacity (0 = unlimited)
-- ARGV[4] "nx": refuse when the expiry key exists (a call whose uuid is pending, whoever queued it);
--         otherwise the expiry key is (re)set
-- Errors: "list capacity exceeded"; "duplicate: ..." (with "nx"), nothing written in either case.
local ttl = tonumber(ARGV[1])
if ARGV[4] == "nx" then
  if not redis.call("SET", KEYS[1], ARGV[1], "PX", ttl, "NX") then
    return redis.error_reply("duplicate: a call with this uuid is pending")
  end
else
  redis.call("SET", KEYS[1], ARGV[1], "PX", ttl)
end
local listTtl = redis.call("PTTL", KEYS[2])
local n = redis.call("LPUSH", KEYS[2], ARGV[2])
local cap = tonumber(ARGV[3])
if cap > 0 and n > cap then
  -- drop the entry just pushed (the head), keep the cap older ones, and forget its expiry key
  redis.call("LTRIM", KEYS[2], n - cap, n)
  redis.call("DEL", KEYS[1])
  return redis.error_reply("list capacity exceeded")
end
-- A list that nobody drains must not live forever (spec 14.4): keep its expiry at least as long
-- as its newest entry's. A list without expiry (-1, e.g. written by an older peer) is left alone.
if listTtl == -2 or (listTtl >= 0 and listTtl < ttl) then
  redis.call("PEXPIRE", KEYS[2], ttl)
end
return n

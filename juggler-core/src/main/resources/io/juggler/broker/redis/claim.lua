-- Claims an at-least-once call for one callee worker (its owner), atomically: renews the owner's
-- lease, then takes the call already in the owner's processing list (left there by an attempt
-- that failed half-way, e.g. a BLMOVE whose reply was lost), or else, with ARGV[3] = "move", moves
-- the oldest call of the URI's list into it. The call stays in the processing list until ack.lua;
-- its expiry key is read, not deleted, so a reaper can tell whether it still has time.
-- KEYS[1] the owner's processing list  juggler:calls:processing:{uri}:<owner>
-- KEYS[2] the URI's call list           juggler:calls:{uri}
-- KEYS[3] the URI's leases              juggler:calls:leases:{uri}
-- ARGV[1] the owner (its member in KEYS[3])
-- ARGV[2] the lease in milliseconds
-- ARGV[3] "move" to take from KEYS[2] when KEYS[1] is empty; anything else: only KEYS[1]
-- ARGV[4] expiry key prefix   juggler:calls:timeout:{   (an entry's keys are known only once it is
-- ARGV[5] attempts key prefix juggler:calls:attempts:{   read; they share the URI's hash tag)
-- Returns nil when there was nothing to claim, else {payload, pttl, attempt}: pttl > 0 a live
-- call to run (attempt counts from 1); -2 expired, -3 unreadable: both removed, not to be run.
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call("ZADD", KEYS[3], now + lease, ARGV[1])
if redis.call("PTTL", KEYS[3]) < lease * 3 then -- as in lease.lua
  redis.call("PEXPIRE", KEYS[3], lease * 3)
end
local item = redis.call("LINDEX", KEYS[1], -1)
if not item and ARGV[3] == "move" then
  item = redis.call("LMOVE", KEYS[2], KEYS[1], "RIGHT", "LEFT")
end
if not item then
  return nil
end
local uri = string.match(KEYS[2], "{(.*)}$")
local ok, p = pcall(cjson.decode, item)
if not (ok and type(p) == "table" and type(p.msg_uuid) == "string" and p.uri == uri) then
  redis.call("LREM", KEYS[1], -1, item)
  return {item, -3, 0}
end
local attempts = ARGV[5] .. uri .. "}:" .. p.msg_uuid
local pttl = redis.call("PTTL", ARGV[4] .. uri .. "}:" .. p.msg_uuid)
if pttl <= 0 then
  redis.call("LREM", KEYS[1], -1, item)
  redis.call("DEL", attempts)
  return {item, -2, 0}
end
local attempt = redis.call("INCR", attempts)
redis.call("PEXPIRE", attempts, pttl)
-- a processing list nobody reaps (every callee of the URI gone) goes one lease after its last call
-- (made by LMOVE, it has no expiry yet: -1)
local listTtl = redis.call("PTTL", KEYS[1])
if listTtl < pttl + lease then
  redis.call("PEXPIRE", KEYS[1], pttl + lease)
end
-- the owners outlive the call, so that an instance started after every other one died still
-- finds this owner and reaps the call while it has time
if redis.call("PTTL", KEYS[3]) < pttl + 2 * lease then
  redis.call("PEXPIRE", KEYS[3], pttl + 2 * lease)
end
return {item, pttl, attempt}

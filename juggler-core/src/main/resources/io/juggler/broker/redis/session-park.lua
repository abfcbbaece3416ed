-- Keeps a result for a resumable session whose connection is gone, or says where it is attached
-- now (the caller then forwards the result to that server's results list).
-- KEYS[1] juggler:session:{<id>}
-- KEYS[2] juggler:session:results:{<id>}
-- ARGV[1] the result payload
-- ARGV[2] the result's time to live, in milliseconds (> 0)
-- ARGV[3] at most this many parked results (the connection's pending-call cap)
-- ARGV[4] the owner the caller knows to be gone (its own closed connection), or ""
-- Returns {"gone"} (the session expired: the result is dropped), {"full"}, {"owner", owner}, or
-- {"parked"}.
if redis.call("EXISTS", KEYS[1]) == 0 then
  return {"gone"}
end
local owner = redis.call("HGET", KEYS[1], "owner")
if owner and owner ~= "" then
  if owner ~= ARGV[4] then
    return {"owner", owner}
  end
  redis.call("HSET", KEYS[1], "owner", "")
end
if redis.call("LLEN", KEYS[2]) >= tonumber(ARGV[3]) then
  return {"full"}
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call("RPUSH", KEYS[2], tostring(now + tonumber(ARGV[2])) .. "|" .. ARGV[1])
redis.call("PEXPIRE", KEYS[2], redis.call("PTTL", KEYS[1]))
return {"parked"}

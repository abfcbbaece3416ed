-- A result was queued on the connection its session is attached to (issue 23): remembered for the
-- session a while, so that if the connection died with it unread (in a socket buffer, or queued),
-- the client gets it again when it resumes (clients ignore a RES for a call they no longer wait
-- for). If the session has moved to another connection meanwhile, says so: the caller forwards
-- the result there; if it has none, the result is parked as for a gone connection.
-- KEYS[1] juggler:session:{<id>}
-- KEYS[2] juggler:session:recent:{<id>}   list: recently delivered results, "<deadline ms>|<payload>"
-- KEYS[3] juggler:session:results:{<id>}  list: parked results
-- ARGV[1] the owner that delivered it (the connection it was queued on)
-- ARGV[2] the payload
-- ARGV[3] the result's time to live, in milliseconds (> 0)
-- ARGV[4] at most this many remembered (and parked) results
-- ARGV[5] how long to remember, in milliseconds
-- ARGV[6] "1": the caller knows ARGV[1] to be open and attached to the session, so a session
--         without an owner (cleared by a server that took that connection for gone while it was
--         being attached) is given back to it
-- Returns {"kept"}, {"owner", owner} or {"parked"} (also {"gone"} when the session expired).
if redis.call("EXISTS", KEYS[1]) == 0 then
  return {"gone"}
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entry = tostring(now + tonumber(ARGV[3])) .. "|" .. ARGV[2]
local owner = redis.call("HGET", KEYS[1], "owner")
if owner == "" and ARGV[6] == "1" then
  redis.call("HSET", KEYS[1], "owner", ARGV[1])
  owner = ARGV[1]
end
if owner == ARGV[1] then
  local n = redis.call("RPUSH", KEYS[2], entry)
  if n > tonumber(ARGV[4]) then
    redis.call("LTRIM", KEYS[2], n - tonumber(ARGV[4]), -1)
  end
  redis.call("PEXPIRE", KEYS[2], tonumber(ARGV[5]))
  return {"kept"}
end
if owner and owner ~= "" then
  return {"owner", owner}
end
if redis.call("LLEN", KEYS[3]) < tonumber(ARGV[4]) then
  redis.call("RPUSH", KEYS[3], entry)
  redis.call("PEXPIRE", KEYS[3], redis.call("PTTL", KEYS[1]))
end
return {"parked"}

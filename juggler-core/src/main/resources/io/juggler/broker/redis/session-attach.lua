-- Attaches a connection to a resumable session (a client presenting its token at the handshake),
-- atomically with handing over the results parked while it was away.
-- KEYS[1] juggler:session:{<id>}          hash: secret (hash of the token's secret), who (the
--                                         identity that opened it), owner (the attached
--                                         connection, "" while detached)
-- KEYS[2] juggler:session:results:{<id>}  list: parked results, "<deadline ms>|<payload>"
-- KEYS[3] juggler:session:recent:{<id>}   list: results delivered to its last connection lately
-- ARGV[1] the hash of the presented secret
-- ARGV[2] the presenting connection's identity ("" for an anonymous client)
-- ARGV[3] the new owner
-- ARGV[4] how long the session lives without a refresh, in milliseconds
-- ARGV[5] the new owner's results shard, added to the session's shards (where its calls' bindings
--         are; the last 16 are kept)
-- ARGV[6] at most this many results remembered for the session
-- Returns {"expired"} (no such session: never made, or past its window), {"invalid"} (wrong
-- secret), {"foreign"} (another identity), or {"ok", previous owner, Redis time in ms, parked...}.
if redis.call("EXISTS", KEYS[1]) == 0 then
  return {"expired"}
end
local fields = redis.call("HMGET", KEYS[1], "secret", "who", "owner")
if fields[1] ~= ARGV[1] then
  return {"invalid"}
end
if fields[2] ~= ARGV[2] then
  return {"foreign"}
end
redis.call("HSET", KEYS[1], "owner", ARGV[3])
local shards = redis.call("HGET", KEYS[1], "shards") or ""
if not string.find(" " .. shards .. " ", " " .. ARGV[5] .. " ", 1, true) then
  local list = {}
  for s in string.gmatch(shards, "%S+") do
    table.insert(list, s)
  end
  table.insert(list, ARGV[5])
  while #list > 16 do
    table.remove(list, 1)
  end
  redis.call("HSET", KEYS[1], "shards", table.concat(list, " "))
end
redis.call("PEXPIRE", KEYS[1], tonumber(ARGV[4]))
local t = redis.call("TIME")
local out = {"ok", fields[3] or "", tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))}
-- the results remembered as delivered to the connection before come again (it may have died with
-- them unread), then those parked while no connection was attached; all of them stay remembered
-- as delivered to the new owner, which may die with them unread too
local parked = redis.call("LRANGE", KEYS[2], 0, -1)
redis.call("DEL", KEYS[2])
for _, p in ipairs(parked) do
  redis.call("RPUSH", KEYS[3], p)
end
local n = redis.call("LLEN", KEYS[3])
local max = tonumber(ARGV[6])
if n > max then
  redis.call("LTRIM", KEYS[3], n - max, -1)
end
if n > 0 then
  redis.call("PEXPIRE", KEYS[3], tonumber(ARGV[4]))
end
for _, p in ipairs(redis.call("LRANGE", KEYS[3], 0, -1)) do
  table.insert(out, p)
end
return out

-- Takes the session-bound results from the results list of a server that stopped beating (died,
-- or stopped with results still coming): only those, so that a server that was merely slow loses
-- nothing it still waits for; then the results that server had taken but not yet settled (held by
-- take-next.lua: it may have died before delivering them, or before remembering them as
-- delivered; a client ignores a RES it has had already). Runs on the list's slot.
-- KEYS[1] juggler:results:{<shard>}
-- KEYS[2] juggler:session:calls:{<shard>}
-- KEYS[3] juggler:session:held:{<shard>}
-- ARGV[1] juggler:results:timeout:{<shard>}:  (prefix of the results' expiry keys)
-- ARGV[2] at most this many results
-- Returns a flat array: 0 once the bindings and the held results are gone (the shard has nothing
-- left that anyone resumes), else 1 followed by payload, PTTL and session for each result taken.
if redis.call("EXISTS", KEYS[2]) == 0 and redis.call("EXISTS", KEYS[3]) == 0 then
  return {0}
end
local out = {1}
local max = tonumber(ARGV[2])
local items = redis.call("LRANGE", KEYS[1], 0, -1)
for i = #items, 1, -1 do
  if #out > 3 * max then
    break
  end
  local item = items[i]
  local ok, p = pcall(cjson.decode, item)
  if ok and type(p) == "table" and type(p.msg_uuid) == "string" then
    local session = redis.call("HGET", KEYS[2], p.msg_uuid)
    if session then
      redis.call("LREM", KEYS[1], 1, item)
      redis.call("HDEL", KEYS[2], p.msg_uuid)
      local key = ARGV[1] .. p.msg_uuid
      local pttl = redis.call("PTTL", key)
      redis.call("DEL", key)
      table.insert(out, item)
      table.insert(out, pttl)
      table.insert(out, session)
    end
  end
end
local held = redis.call("HGETALL", KEYS[3])
if #held > 0 then
  local t = redis.call("TIME")
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  for i = 1, #held, 2 do
    if #out > 3 * max then
      break
    end
    redis.call("HDEL", KEYS[3], held[i])
    local deadline, session, item = string.match(held[i + 1], "^(%d+)|([^|]+)|(.*)$")
    if deadline then
      table.insert(out, item)
      table.insert(out, math.max(-2, tonumber(deadline) - now))
      table.insert(out, session)
    end
  end
end
return out

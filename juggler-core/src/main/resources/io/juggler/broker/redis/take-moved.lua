-- Takes a server's results in one round trip after a blocking move (BLMOVE) put the next one in
-- the shard's in-flight list: every entry of the in-flight list (the one just moved, and any that a
-- move on a connection that died left there: a Redis frozen for longer than a socket timeout runs
-- the lost connection's command when it resumes), oldest first, then up to ARGV[2] more entries of
-- the results list, each with its expiry key taken (read PTTL, delete), as take-next.lua does.
-- KEYS[1] the in-flight list  juggler:results:inflight:{conn}
-- KEYS[2] the results list    juggler:results:{conn}
-- ARGV[1] "results"
-- ARGV[2] how many more entries to take from KEYS[2] (0: none)
-- ARGV[3] the expiry keys' prefix  juggler:results:timeout:{
-- Returns a flat array: for each entry its payload then its PTTL (-2: expired; -3: not handled
-- here, e.g. an unreadable payload or one of another connection: the caller takes its expiry key).
local more = tonumber(ARGV[2])
local prefix = ARGV[3]
local owner = string.match(KEYS[2], "{(.*)}$")
local out = {}

local function take(item)
  local pttl = -3
  local ok, p = pcall(cjson.decode, item)
  if ok and type(p) == "table" and type(p.msg_uuid) == "string" and p.conn_uuid == owner then
    local key = prefix .. owner .. "}:" .. p.msg_uuid
    pttl = redis.call("PTTL", key)
    redis.call("DEL", key)
  end
  table.insert(out, item)
  table.insert(out, pttl)
end

while true do
  local item = redis.call("RPOP", KEYS[1])
  if not item then
    break
  end
  take(item)
end
if more > 0 then
  local items = redis.call("RPOP", KEYS[2], more)
  if items then
    for _, item in ipairs(items) do
      take(item)
    end
  end
end
return out

-- Reads what a subscriber missed (issue 23): the events of a channel's history after an offset,
-- if they are all still there.
-- KEYS[1] juggler:history:{<channel>}
-- KEYS[2] juggler:history:meta:{<channel>}
-- ARGV[1] the subscriber's last offset (0: before the first event)
-- ARGV[2] its epoch
-- ARGV[3] at most this many events (more missed: not recoverable)
-- ARGV[4] the history's age, in milliseconds (older events count as gone)
-- ARGV[5] at most this many bytes of events (more missed: "large", not recoverable), read in pages
--         so that neither Redis nor the server holds more than about that for one subscriber
-- Returns {status, top offset, epoch, then offset and publication prefix of each event, oldest
-- first}; status is "ok", "epoch" (the history started over: other epoch, or none at all),
-- "gone" (some of the missed events are no longer kept) or "large" (more bytes missed than
-- ARGV[5]).
local meta = redis.call("HMGET", KEYS[2], "epoch", "top")
if not meta[1] then
  return {"epoch", 0, ""}
end
local top = tonumber(meta[2])
local from = tonumber(ARGV[1])
if meta[1] ~= ARGV[2] or from > top then
  return {"epoch", top, meta[1]}
end
local missed = top - from
if missed == 0 then
  return {"ok", top, meta[1]}
end
if missed > tonumber(ARGV[3]) then
  return {"gone", top, meta[1]}
end
local entries = {}
local bytes = 0
local limit = tonumber(ARGV[5])
local upper = "+"
while #entries < missed do
  local page = redis.call("XREVRANGE", KEYS[1], upper, "-", "COUNT", math.min(128, missed - #entries))
  if #page == 0 then
    break
  end
  for _, e in ipairs(page) do
    for j = 2, #e[2], 2 do
      bytes = bytes + #e[2][j]
    end
    table.insert(entries, e)
  end
  if bytes > limit then
    return {"large", top, meta[1]}
  end
  upper = "(" .. page[#page][1]
end
if #entries < missed then
  return {"gone", top, meta[1]}
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = entries[#entries]
local ms = tonumber(string.match(oldest[1], "^(%d+)"))
if ms < now - tonumber(ARGV[4]) then
  return {"gone", top, meta[1]}
end
local out = {"ok", top, meta[1]}
for i = #entries, 1, -1 do
  local fields = entries[i][2]
  local p, o
  for j = 1, #fields, 2 do
    if fields[j] == "p" then
      p = fields[j + 1]
    elseif fields[j] == "o" then
      o = fields[j + 1]
    end
  end
  table.insert(out, o)
  table.insert(out, p)
end
return out

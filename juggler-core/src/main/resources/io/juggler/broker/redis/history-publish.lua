-- Publishes an event of a channel that keeps a history (issue 23): appends it to the channel's
-- stream with the next offset, trims the stream to its size and age, and publishes it with its
-- offset and epoch, all at once, so offsets follow the order of publication. On the pub-sub Redis;
-- both keys share the channel's hash tag.
-- KEYS[1] juggler:history:{<channel>}        stream: one entry per event, fields p (the
--                                            publication up to its closing brace) and o (offset)
-- KEYS[2] juggler:history:meta:{<channel>}   hash: epoch, top (the last offset)
-- ARGV[1] the channel
-- ARGV[2] the publication's JSON without its closing brace
-- ARGV[3] how many events to keep (about: MAXLEN ~)
-- ARGV[4] how long to keep them, in milliseconds
-- ARGV[5] an epoch for a history that starts now (used only when there is none)
-- ARGV[6] how long the meta outlives the last event, in milliseconds
-- Returns {offset, epoch}.
local epoch = redis.call("HGET", KEYS[2], "epoch")
if not epoch then
  epoch = ARGV[5]
  redis.call("HSET", KEYS[2], "epoch", epoch, "top", 0)
end
local offset = redis.call("HINCRBY", KEYS[2], "top", 1)
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local age = tonumber(ARGV[4])
redis.call("XADD", KEYS[1], "MAXLEN", "~", ARGV[3], "*", "p", ARGV[2], "o", offset)
redis.call("XTRIM", KEYS[1], "MINID", "~", now - age)
redis.call("PEXPIRE", KEYS[1], age)
redis.call("PEXPIRE", KEYS[2], age + tonumber(ARGV[6]))
redis.call("PUBLISH", ARGV[1], ARGV[2] .. ',"offset":' .. offset .. ',"epoch":"' .. epoch .. '"}')
return {offset, epoch}

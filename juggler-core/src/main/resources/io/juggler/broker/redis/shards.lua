-- The result shards of every server, scored by their owner's last heartbeat (Redis time, ms).
-- KEYS[1] juggler:session:shards (sorted set)
-- ARGV[1] "beat": ARGV[3..] are the caller's shards, scored now; returns 1
--         "release": ARGV[3..] scored 0 (a server that stops: adopted at once); returns 1
--         with either, ARGV[2] is how long the set lives after this (ms): once no server beats
--         any more, it goes (nobody is left to adopt anything)
--         "dead": returns the shards whose last heartbeat is older than ARGV[2] ms
--         "forget": removes ARGV[3] if it is still older than ARGV[2] ms; returns 1 if removed
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op = ARGV[1]
if op == "beat" or op == "release" then
  for i = 3, #ARGV do
    redis.call("ZADD", KEYS[1], op == "beat" and now or 0, ARGV[i])
  end
  if #ARGV >= 3 then
    redis.call("PEXPIRE", KEYS[1], tonumber(ARGV[2]))
  end
  return 1
elseif op == "dead" then
  return redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", "(" .. (now - tonumber(ARGV[2])))
elseif op == "forget" then
  local score = redis.call("ZSCORE", KEYS[1], ARGV[3])
  if score and tonumber(score) < now - tonumber(ARGV[2]) then
    redis.call("ZREM", KEYS[1], ARGV[3])
    return 1
  end
  return 0
end
return redis.error_reply("unknown operation " .. tostring(op))

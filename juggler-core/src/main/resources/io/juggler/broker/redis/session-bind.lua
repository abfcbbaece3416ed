-- Binds a call to the resumable session that made it, before the call is queued: whoever takes
-- the call's result (the server that queued it, another one it was forwarded to, or one adopting
-- the results of a server that died) learns the session from here (take-next.lua, adopt.lua).
-- KEYS[1] juggler:session:calls:{<shard>}  (the hash tag of the shard's results list)
-- ARGV[1] the CALL's uuid
-- ARGV[2] the session id, a space and the call's URI
-- ARGV[3] how long the binding may be needed, in milliseconds (> 0): the call's time to live
-- The hash never lives shorter than its newest binding, as the register script keeps its lists.
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
local left = redis.call("PTTL", KEYS[1])
if left < ttl then
  redis.call("PEXPIRE", KEYS[1], ttl)
end
return 1

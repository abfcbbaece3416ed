-- Forwards a result to the server a session is attached to now: registers it on that server's
-- results list (as register.lua does for a callee) and binds it to the session there, so that its
-- pump routes it by session, and a server adopting that list routes it too should it die.
-- KEYS[1] juggler:results:timeout:{<shard>}:<msg uuid>
-- KEYS[2] juggler:results:{<shard>}
-- KEYS[3] juggler:session:calls:{<shard>}
-- ARGV[1] time to live in milliseconds (> 0)
-- ARGV[2] the payload (its conn_uuid is the shard)
-- ARGV[3] the CALL's uuid
-- ARGV[4] the binding: the session id, a space and the call's URI
local ttl = tonumber(ARGV[1])
redis.call("SET", KEYS[1], ARGV[1], "PX", ttl)
redis.call("HSET", KEYS[3], ARGV[3], ARGV[4])
if redis.call("PTTL", KEYS[3]) < ttl then
  redis.call("PEXPIRE", KEYS[3], ttl)
end
redis.call("LPUSH", KEYS[2], ARGV[2])
if redis.call("PTTL", KEYS[2]) < ttl then
  redis.call("PEXPIRE", KEYS[2], ttl)
end
return 1

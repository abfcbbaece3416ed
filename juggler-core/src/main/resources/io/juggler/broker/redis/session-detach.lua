-- Detaches a closed connection from its session, which then lives for its window.
-- KEYS[1] juggler:session:{<id>}
-- ARGV[1] the closing connection's owner string: cleared only if it is still the owner (the
--         client may have resumed elsewhere already)
-- ARGV[2] the window, in milliseconds
if redis.call("HGET", KEYS[1], "owner") == ARGV[1] then
  redis.call("HSET", KEYS[1], "owner", "")
  redis.call("PEXPIRE", KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0

-- Deletes a call or results list (the console's purge) and tells how many entries it held,
-- atomically. The entries' expiry keys are left to expire by themselves.
-- KEYS[1] the list: juggler:calls:{uri} or juggler:results:{conn}
-- Returns the number of entries deleted (0 when the list did not exist).
local n = redis.call("LLEN", KEYS[1])
redis.call("DEL", KEYS[1])
return n

-- Takes an expiry key (spec sections 6.4, 6.5): reads its remaining time-to-live and deletes it,
-- atomically, so each call or result is used at most once.
-- KEYS[1] expiry key; returns PTTL in ms (-2 when the key is gone, i.e. expired)
local pttl = redis.call("PTTL", KEYS[1])
redis.call("DEL", KEYS[1])
return pttl

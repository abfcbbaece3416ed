-- Finishes an at-least-once call (its result is stored, or it expired): removes it from the
-- owner's processing list and deletes its expiry key and attempts counter, atomically. Deleting
-- the expiry key makes a copy that a reaper returned to the queue meanwhile count as expired.
-- KEYS[1] the owner's processing list  juggler:calls:processing:{uri}:<owner>
-- KEYS[2] the call's expiry key        juggler:calls:timeout:{uri}:<msg uuid>
-- KEYS[3] its attempts counter         juggler:calls:attempts:{uri}:<msg uuid>
-- ARGV[1] the payload as claimed
-- Returns how many entries were removed from KEYS[1] (0 when a reaper had taken it back).
local n = redis.call("LREM", KEYS[1], -1, ARGV[1])
redis.call("DEL", KEYS[2], KEYS[3])
return n

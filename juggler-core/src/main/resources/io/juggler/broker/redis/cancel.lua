-- Cancels a queued call (issue 23): deletes its expiry key, so no callee runs it (a Juggler EE
-- callee, or the reference's, treats a call without one as expired), and leaves a marker by which
-- a Juggler EE callee that pops the entry counts it as cancelled rather than expired. The entry
-- itself stays in the list until a callee pops it: finding it would cost a scan of the list.
-- KEYS[1] juggler:calls:timeout:{<uri>}:<msg uuid>
-- KEYS[2] juggler:calls:cancelled:{<uri>}:<msg uuid>
-- Returns 1 when the call was still queued (cancelled before any callee took it), 0 when it was
-- taken already (or never queued, or expired).
local pttl = redis.call("PTTL", KEYS[1])
if pttl > 0 and redis.call("DEL", KEYS[1]) == 1 then
  redis.call("SET", KEYS[2], "1", "PX", pttl)
  return 1
end
return 0

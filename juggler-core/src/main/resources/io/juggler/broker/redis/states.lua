-- Reads instance states with the time each has left to live, in one step: a script sees every key
-- at the same instant of Redis's clock, so the reader can tell how long ago each state was written
-- (its time-to-live minus its PTTL) without comparing its own clock with the publisher's.
-- KEYS[1..n] instance states  juggler:registry:{juggler.registry}:instance:<id>
-- Returns a flat array: for each key its JSON (nil: expired) then its PTTL in milliseconds (-2:
-- expired, -1: no time-to-live).
local out = {}
for i = 1, #KEYS do
  out[2 * i - 1] = redis.call("GET", KEYS[i])
  out[2 * i] = redis.call("PTTL", KEYS[i])
end
return out

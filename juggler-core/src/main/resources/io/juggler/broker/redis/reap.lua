-- Returns the calls of an owner whose lease expired to the URI's queue, atomically: each call whose
-- expiry key is still live goes back to the end that is popped next (oldest first), the others are
-- dropped; then the processing list and the owner's lease are deleted. Does nothing if the owner
-- renewed its lease meanwhile (unless ARGV[3] is "force": an instance handing back its own calls
-- as it stops).
-- KEYS[1] the URI's leases              juggler:calls:leases:{uri}
-- KEYS[2] the owner's processing list   juggler:calls:processing:{uri}:<owner>
-- KEYS[3] the URI's call list           juggler:calls:{uri}
-- ARGV[1] the owner
-- ARGV[2] expiry key prefix  juggler:calls:timeout:{
-- ARGV[3] "force" or ""
-- Returns {requeued, dropped}, or {-1, 0} when the lease is live.
if ARGV[3] ~= "force" then
  local score = redis.call("ZSCORE", KEYS[1], ARGV[1])
  local t = redis.call("TIME")
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if score and tonumber(score) >= now then
    return {-1, 0}
  end
end
local uri = string.match(KEYS[3], "{(.*)}$")
local listTtl = redis.call("PTTL", KEYS[3])
local requeued, dropped, longest = 0, 0, 0
while true do
  local item = redis.call("LPOP", KEYS[2])
  if not item then
    break
  end
  local pttl = -2
  local ok, p = pcall(cjson.decode, item)
  if ok and type(p) == "table" and type(p.msg_uuid) == "string" and p.uri == uri then
    pttl = redis.call("PTTL", ARGV[2] .. uri .. "}:" .. p.msg_uuid)
  end
  if pttl > 0 then
    -- newest first onto the popping end: the oldest ends up taken first
    redis.call("RPUSH", KEYS[3], item)
    requeued = requeued + 1
    if pttl > longest then
      longest = pttl
    end
  else
    dropped = dropped + 1
  end
end
redis.call("ZREM", KEYS[1], ARGV[1])
-- as register.lua: the list lives at least as long as its longest-lived entry
if requeued > 0 and (listTtl == -2 or (listTtl >= 0 and listTtl < longest)) then
  redis.call("PEXPIRE", KEYS[3], longest)
end
return {requeued, dropped}

-- Takes entries and their expiry keys in one round trip (spec 6.4, 6.5 done in batches):
-- optionally an entry the caller has just popped with BRPOP, then up to ARGV[2] more entries
-- popped here without blocking from the first non-empty list.
-- KEYS[1..n] lists in BRPOP order: juggler:calls:{uri} (callee) or juggler:results:{conn} (server)
-- ARGV[1] "calls" or "results": which expiry key an entry's payload names
-- ARGV[2] how many more entries to pop (0: none)
-- ARGV[3] the expiry keys' prefix, up to the owner's hash tag: juggler:calls:timeout:{ or
--         juggler:results:timeout:{ (RedisKeys spells the layout; the expiry key of an entry popped
--         here cannot be passed in KEYS, since it is known only once popped: it shares its list's
--         slot through the hash tag, which is checked below)
-- ARGV[4] for results: the prefix of the session bindings hashes, up to the owner's hash tag
--         (juggler:session:calls:{), or "" for none; a popped result's binding (the resumable
--         session that made its call) is read and deleted with it. For calls: the prefix of the
--         cancel markers (juggler:calls:cancelled:{), or ""; an expired call whose marker exists
--         was cancelled by its client: its PTTL reads -4 and the marker is deleted
-- ARGV[5] for results: the prefix of the held-results hashes, up to the owner's hash tag
--         (juggler:session:held:{), or "" for calls. A live result bound to a session is held
--         there ("<deadline ms>|<session id>|<payload>") until the server that took it has
--         delivered and remembered it, or parked or forwarded it: should that server die first,
--         whoever adopts its shard routes the result again (adopt.lua)
-- ARGV[6] optional: the payload already popped by the caller, from KEYS[1], or "" for none
-- ARGV[7..] for results: uuids of held results the server has settled since its last take; they
--         are released from KEYS[1]'s held hash first (one round trip less per result)
-- Returns a flat array: for each entry its payload, its PTTL (-2: expired; -3: not handled
-- here, the caller decodes it and takes its expiry key itself, e.g. a payload that is not a JSON
-- object with string ids, or one whose expiry key is in another slot) and its session binding
-- ("<session id> <uri>", "" when none), then one last element:
-- how many entries the lists still hold (a callee worker polls again without blocking only when
-- some are waiting). Deleting the expiry key makes every entry single-use, as take.lua does.
local kind = ARGV[1]
local more = tonumber(ARGV[2])
local prefix = ARGV[3]
local bindings = ARGV[4]
local held = ARGV[5]
local out = {}
local now = nil

local function take(list, item)
  local pttl = -3
  local session = ""
  local ok, p = pcall(cjson.decode, item)
  if ok and type(p) == "table" and type(p.msg_uuid) == "string" then
    local owner = (kind == "calls") and p.uri or p.conn_uuid
    if type(owner) == "string" and owner == string.match(list, "{(.*)}$") then
      local key = prefix .. owner .. "}:" .. p.msg_uuid
      pttl = redis.call("PTTL", key)
      redis.call("DEL", key)
      if kind == "calls" then
        if pttl == -2 and bindings ~= "" and redis.call("DEL", bindings .. owner .. "}:" .. p.msg_uuid) == 1 then
          pttl = -4
        end
      elseif bindings ~= "" then
        local hash = bindings .. owner .. "}"
        local s = redis.call("HGET", hash, p.msg_uuid)
        if s then
          session = s
          redis.call("HDEL", hash, p.msg_uuid)
          if held ~= "" and pttl > 0 then
            if not now then
              local t = redis.call("TIME")
              now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local id = string.match(s, "^(%S+)")
            local h = held .. owner .. "}"
            redis.call("HSET", h, p.msg_uuid, tostring(now + pttl) .. "|" .. id .. "|" .. item)
            if redis.call("PTTL", h) < pttl then
              redis.call("PEXPIRE", h, pttl)
            end
          end
        end
      end
    end
  end
  table.insert(out, item)
  table.insert(out, pttl)
  table.insert(out, session)
end

if #ARGV > 6 then
  local h = held .. string.match(KEYS[1], "{(.*)}$") .. "}"
  for i = 7, #ARGV do
    redis.call("HDEL", h, ARGV[i])
  end
end
if ARGV[6] and ARGV[6] ~= "" then
  take(KEYS[1], ARGV[6])
end
if more > 0 then
  for _, list in ipairs(KEYS) do
    local items = redis.call("RPOP", list, more)
    if items then
      for _, item in ipairs(items) do
        take(list, item)
      end
      break
    end
  end
end
local waiting = 0
for _, list in ipairs(KEYS) do
  waiting = waiting + redis.call("LLEN", list)
end
table.insert(out, waiting)
return out

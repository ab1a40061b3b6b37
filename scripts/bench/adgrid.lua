-- The load of `scripts/adgrid bench`, for wrk. Every run uses this script, the ceiling too, so
-- that the client does the same work per request in every scenario. Arguments after `--`:
--
--   ping PATH                  GET PATH: the ceiling (a sessionless 204 on the same path)
--   decide ZONES OUT           GET /api/v1/decide?zone=Z&vid=V for a random zone of ZONES
--                              (comma separated) and a new visitor each time; writes each
--                              decision's impression and click paths to OUT.<thread>
--   replay IN COLUMN           GET the paths in column COLUMN (1: impression, 2: click) of
--                              IN.<thread>, each once, in order; wraps around when they run out
--                              (counted as "reused")
--   mix ZONES CLICKS           a visitor's visit: a decision, then its impression, then with
--                              probability CLICKS (e.g. 0.02) its click, 1-2 s later
--   poll PASSES EVERY          signed-in dashboards: GET /live/poll with the dashboard passes of
--                              the lines of PASSES (this thread takes every n-th line), each
--                              every EVERY ms, with the last ETag seen
--
-- done() prints one line "BENCH {json}" with the totals, statuses and latency percentiles.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

-- wrk runs init() in each thread after setup(): how many threads and connections there are.
threadCount = tonumber(os.getenv("BENCH_THREADS") or "1")
connectionsPerThread = tonumber(os.getenv("BENCH_CONNECTIONS_PER_THREAD") or "1")

local AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"
local headers = { ["User-Agent"] = AGENT, ["Accept"] = "*/*" }
local mode, label, zones, out, paths, position, clickShare, wrapped
local sessions, turn, pause, lastTag = {}, 0, 0, nil
local queue, qhead, qtail, clicks = {}, 1, 0, {}
statuses, kinds, reused, written = {}, {}, 0, 0

local function split(text)
  local list = {}
  for item in string.gmatch(text, "[^,]+") do table.insert(list, item) end
  return list
end

function init(args)
  mode = args[1]
  label = mode
  math.randomseed(os.time() * 1000 + id)
  if mode == "ping" then
    paths = { args[2] }
  elseif mode == "decide" then
    zones = split(args[2])
    out = io.open(args[3] .. "." .. id, "w")
  elseif mode == "replay" then
    paths, position = {}, 0
    local column = tonumber(args[3])
    label = column == 1 and "impression" or "click"
    for line in io.lines(args[2] .. "." .. id) do
      local impression, click = string.match(line, "^(%S+) (%S+)$")
      table.insert(paths, column == 1 and impression or click)
    end
  elseif mode == "mix" then
    zones = split(args[2])
    clickShare = tonumber(args[3])
  elseif mode == "poll" then
    label = "dashboards"
    local line = 0
    for cookie in io.lines(args[2]) do
      if line % threadCount == id - 1 then table.insert(sessions, cookie) end
      line = line + 1
    end
    -- Each connection goes round this thread's sessions: one request every EVERY/share ms.
    pause = tonumber(args[3]) * connectionsPerThread / math.max(#sessions, 1)
    -- Only here: wrk schedules every request on a timer once the script has a delay().
    delay = function() return pause end
  else
    error("unknown mode " .. tostring(mode))
  end
end

local function vid()
  return string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

local function decision()
  local zone = zones[math.random(#zones)]
  return "/api/v1/decide?zone=" .. zone .. "&vid=" .. vid()
end

local function nextPath()
  if mode == "ping" then
    return paths[1]
  elseif mode == "decide" then
    return decision()
  elseif mode == "replay" then
    position = position + 1
    if position > #paths then
      position, wrapped = 1, true
    end
    if wrapped then reused = reused + 1 end
    return paths[position]
  end
  -- mix: a due click first, then a waiting impression, else a new decision
  local now = os.time()
  local click = clicks[1]
  if click and click.due <= now then
    table.remove(clicks, 1)
    return click.path
  end
  if qhead <= qtail then
    local item = queue[qhead]
    queue[qhead] = nil
    qhead = qhead + 1
    return item
  end
  return decision()
end

function request()
  if mode == "poll" then
    turn = turn % #sessions + 1
    local h = { ["User-Agent"] = AGENT, ["Accept"] = "application/json",
                ["X-Live-Pass"] = sessions[turn] }
    if lastTag then h["If-None-Match"] = lastTag end
    return wrk.format("GET", "/live/poll", h)
  end
  local path = nextPath()
  return wrk.format("GET", path, headers)
end


-- What a response answered, from the response itself (connections answer out of order).
local function kind(status, headers)
  if mode == "poll" then
    -- The figures are the account's: any of its dashboards may send the last tag seen.
    lastTag = headers["ETag"] or headers["etag"] or lastTag
    return label
  end
  if mode ~= "mix" then return label end
  if status == 302 then return "click" end
  local ctype = headers["Content-Type"] or headers["content-type"] or ""
  if string.find(ctype, "image/gif", 1, true) then return "impression" end
  if status == 200 or status == 204 then return "decide" end
  return "other"
end

function response(status, headers, body)
  local what = kind(status, headers)
  local key = what .. " " .. status
  statuses[key] = (statuses[key] or 0) + 1
  if what ~= "decide" or status ~= 200 then return end
  local impression = string.match(body, '"impressionUrl":"https?://[^/"]+(/[^"]+)"')
  local click = string.match(body, '"clickUrl":"https?://[^/"]+(/[^"]+)"')
  if not impression or not click then
    statuses["decide unreadable"] = (statuses["decide unreadable"] or 0) + 1
    return
  end
  if mode == "decide" then
    out:write(impression, " ", click, "\n")
    written = written + 1
    -- wrk never closes a thread's files: flush as we go (a few unflushed lines are not missed)
    if written % 256 == 0 then out:flush() end
  else
    qtail = qtail + 1
    queue[qtail] = impression
    if math.random() < clickShare then
      -- A person takes a moment to click (and a click within a second is TOO_FAST).
      table.insert(clicks, { due = os.time() + 2, path = click })
    end
  end
end

local function json(value)
  if type(value) == "table" then
    local parts = {}
    for k, v in pairs(value) do
      table.insert(parts, string.format("%q:%s", tostring(k), json(v)))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(value) == "string" then
    return string.format("%q", value)
  end
  return tostring(value)
end

function done(summary, latency, requests)
  local all, reuses, writes = {}, 0, 0
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do all[key] = (all[key] or 0) + n end
    reuses = reuses + (thread:get("reused") or 0)
    writes = writes + (thread:get("written") or 0)
  end
  local e = summary.errors
  io.write("BENCH ", json({
    requests = summary.requests,
    seconds = summary.duration / 1e6,
    errors = { connect = e.connect, read = e.read, write = e.write, status = e.status,
               timeout = e.timeout },
    statuses = all,
    reused = reuses,
    written = writes,
    latencyMs = { p50 = latency:percentile(50) / 1000, p90 = latency:percentile(90) / 1000,
                  p99 = latency:percentile(99) / 1000, max = latency.max / 1000,
                  mean = latency.mean / 1000 },
  }), "\n")
end

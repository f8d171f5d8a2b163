-- Praxis load for wrk: GET the paths of a file in turn, or save notes (PATCH) each once.
--   wrk -s bench/wrk.lua URL -- get  PATHS_FILE
--   wrk -s bench/wrk.lua URL -- save NOTES_FILE TOKEN BASE_REVISION THREADS
-- A NOTES_FILE line is a note id, a tab, and the note's new body as a JSON string.
-- Each thread starts at its own offset, so threads never save the same note; `done` prints one
-- JSON line with the latency percentiles (microseconds) and the error counts.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, file, token, revision, stride = args[1], args[2], args[3], args[4], tonumber(args[5] or "1")
  items = {}
  for line in io.lines(file) do items[#items + 1] = line end
  counter = offset
  if mode == "save" then
    headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  end
end

function request()
  local item = items[(counter % #items) + 1]
  if mode == "save" then
    counter = counter + stride
    local id, text = item:match("^([^\t]+)\t(.*)$")
    local body = '{"base_revision": ' .. revision .. ', "summary": "Relecture", "body": ' .. text .. '}'
    return wrk.format("PATCH", "/api/v1/notes/" .. id, headers, body)
  end
  counter = counter + 1
  return wrk.format("GET", item)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end

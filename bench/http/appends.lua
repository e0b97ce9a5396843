-- wrk script: POST a user message to one of the chats listed in CHATS (comma-separated), round-robin,
-- authenticated with the API key in KEY. Counts answers other than 201 as errors and prints one JSON line.
local chats = {}
for id in string.gmatch(os.getenv("CHATS"), "[^,]+") do chats[#chats + 1] = id end
local key = os.getenv("KEY")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  n = id * 7919
end

function request()
  n = n + 1
  local chat = chats[(n % #chats) + 1]
  return wrk.format("POST", "/api/v1/chats/" .. chat .. "/messages",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key },
    '{"role":"user","content":"load test message ' .. n .. '"}')
end

function response(status, headers, body)
  if status ~= 201 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do errs = errs + t:get("errors") end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"errors":%d,"socket_errors":%d,"seconds":%.2f,"appends_per_s":%.0f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, errs + summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, (summary.requests - errs) / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end

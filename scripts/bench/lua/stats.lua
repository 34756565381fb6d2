-- Shared by the load scripts: counts responses by status in every wrk thread and prints one machine-readable line:
-- RESULT requests=… rps=… p50=… p95=… p99=… (ms) s2xx=… s3xx=… s409=… s429=… s4xx=… s5xx=… socket=…
local threads = {}

-- wrk.format uses the headers given to it instead of wrk.headers (the -H options, such as the session cookie), so
-- scripts that pass their own headers merge them with this.
function with_headers(extra)
  local all = {}
  for name, value in pairs(wrk.headers) do all[name] = value end
  for name, value in pairs(extra) do all[name] = value end
  return all
end

function setup(thread)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      all[status] = (all[status] or 0) + n
    end
  end
  local function range(low, high)
    local n = 0
    for status, count in pairs(all) do
      if status >= low and status <= high then n = n + count end
    end
    return n
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50=%.2f p95=%.2f p99=%.2f s2xx=%d s3xx=%d s409=%d s429=%d s4xx=%d s5xx=%d socket=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    range(200, 299), range(300, 399), all[409] or 0, all[429] or 0,
    range(400, 499) - (all[409] or 0) - (all[429] or 0), range(500, 599),
    e.connect + e.read + e.write + e.timeout))
end

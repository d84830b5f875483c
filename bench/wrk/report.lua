-- Prints one JSON line of figures when the run ends; WRK_DELAY_MS adds a
-- think time before each request, for latency at a light fixed load.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

if pause > 0 then
  delay = function()
    return pause
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"errors":%d,"durationUs":%d,' ..
    '"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests,
    errors.connect + errors.read + errors.write + errors.status +
      errors.timeout,
    summary.duration,
    latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end

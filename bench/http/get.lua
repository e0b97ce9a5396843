-- wrk script: an authenticated GET (the API key in KEY), the ceiling of the HTTP stack for the appends bench.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")

function done(summary, latency, requests)
  io.write(string.format('{"requests":%d,"non_2xx":%d,"seconds":%.2f,"requests_per_s":%.0f,"p50_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, summary.errors.status, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end

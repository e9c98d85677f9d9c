-- wrk script: POST /v1/validate over a rotating set of license keys, a fresh nonce per request.
-- KEYS_FILE (env) holds one key per line; PRODUCT (env) the product code.
local keys = {}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("KEYS_FILE"), "r"))
  for line in f:lines() do
    if #line > 0 then
      table.insert(keys, line)
    end
  end
  f:close()
  product = os.getenv("PRODUCT") or "bench-product"
  -- Requests are formatted once here (distinct nonces, keys rotating) and cycled, so wrk spends its CPU on
  -- sending, not on building strings in Lua: on a 2-core machine wrk competes with the service.
  local headers = { ["Content-Type"] = "application/json" }
  prepared = {}
  for i = 1, 20000 do
    local key = keys[((id * 7919 + i) % #keys) + 1]
    local body = '{"key":"' .. key .. '","productCode":"' .. product .. '","nonce":"w' .. id .. '-' .. i .. '"}'
    prepared[i] = wrk.format("POST", "/v1/validate", headers, body)
  end
  counter = 0
end

function request()
  counter = counter + 1
  if counter > #prepared then
    counter = 1
  end
  return prepared[counter]
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d errors=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end

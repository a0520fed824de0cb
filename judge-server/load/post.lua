-- wrk script: POSTs the request in $BODY to /judge. With RATE > 0 each of CONNECTIONS connections
-- waits CONNECTIONS * 1000 / RATE ms (less the ~1 ms a typical request takes) between requests.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
if rate > 0 then
  local interval = math.max(1, math.floor(connections * 1000 / rate) - 1)
  function delay()
    return interval
  end
end

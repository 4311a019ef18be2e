-- wrk script: GET a mock-kandji JSON endpoint as Kandji would be called (the tenant's Host
-- and the bearer token come from the environment), to compare the gateway with.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.headers["Host"] = os.getenv("BENCH_TENANT_HOST")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

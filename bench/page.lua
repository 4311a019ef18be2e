-- wrk script: POST the dashboard page query (the first 50 devices with their compliance) to
-- the gateway. The query text comes from bench/page.graphql; the report line from report.lua.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local file = assert(io.open(dir .. "page.graphql"))
local query = file:read("*a"):gsub("%s+", " ")
file:close()

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"' .. query:gsub('"', '\\"') .. '"}'

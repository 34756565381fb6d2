-- GET a random path from the file given after "--" (one path per line), e.g. team and objective pages.
dofile(os.getenv("BENCH_LUA") .. "/stats.lua")

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

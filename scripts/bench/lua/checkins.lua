-- POST a check-in to a random key result from the file given after "--" (one id per line), with the antiforgery
-- token given as the second argument (the session and antiforgery cookies come with -H "Cookie: …").
dofile(os.getenv("BENCH_LUA") .. "/stats.lua")

function init(args)
  ids = {}
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  token = args[2]
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  -- 0 or 1: a valid value for every kind of key result (a milestone accepts nothing else), so every answer but a
  -- real conflict is a saved check-in; the cost of a save does not depend on the number.
  local body = string.format("Value=%d&Confidence=%d&Note=load+test&__RequestVerificationToken=%s",
    math.random(0, 1), math.random(0, 10), token)
  return wrk.format("POST", "/okrs/key-results/" .. ids[math.random(#ids)] .. "/check-ins",
    with_headers({ ["Content-Type"] = "application/x-www-form-urlencoded" }), body)
end

-- POST the sign-in form: e-mail, password and the anonymous antiforgery token given after "--".
dofile(os.getenv("BENCH_LUA") .. "/stats.lua")

function init(args)
  body = string.format("Email=%s&Password=%s&__RequestVerificationToken=%s", args[1], args[2], args[3])
end

function request()
  return wrk.format("POST", "/account/login", with_headers({ ["Content-Type"] = "application/x-www-form-urlencoded" }), body)
end

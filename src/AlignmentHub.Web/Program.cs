using System.Threading.RateLimiting;
using AlignmentHub.Infrastructure;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.AuditLog;
using AlignmentHub.Web.Features.Deleted;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Mediation;
using AlignmentHub.Web.Infrastructure.Rendering;
using AlignmentHub.Web.Infrastructure.Security;
using AlignmentHub.Web.Infrastructure.Startup;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Options;
using Serilog;

var builder = WebApplication.CreateBuilder(args);
var command = args.FirstOrDefault(a => !a.StartsWith('-'))?.ToLowerInvariant();

builder.WebHost.ConfigureKestrel(o =>
{
    o.AddServerHeader = false;
    o.Limits.MaxRequestBodySize = RequestLimitsMiddleware.MaxBodyBytes;
});
builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
{
    o.ValueCountLimit = RequestLimitsMiddleware.MaxFormValues;
    o.BufferBodyLengthLimit = RequestLimitsMiddleware.MaxBodyBytes;
    o.MultipartBodyLengthLimit = RequestLimitsMiddleware.MaxBodyBytes;
});
// Each host writes through its own logger, not the process-wide static one: with several hosts in one process (the
// tests), the static logger belongs to whichever started last and is silenced when any of them stops.
builder.Services.AddSerilog(
    (services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .Enrich.With<LogInjectionGuard>()
        .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture),
    preserveStaticLogger: true);

// Persistence: one DbContext, provider chosen by Database:Provider.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpContextAccessor();
// A singleton that reads the current request through the accessor: the pooled DbContext's interceptors are singletons.
builder.Services.AddSingleton<IAuditActor, HttpAuditActor>();
builder.Services.AddPersistence(builder.Configuration, builder.Environment.ContentRootPath);

// Identity with the settings of the security checklist (B.7, B.9, password hashing).
builder.Services
    .AddIdentity<ApplicationUser, IdentityRole>(o =>
    {
        o.Password.RequiredLength = 12;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
    })
    .AddEntityFrameworkStores<AppDbContext>()
    .AddSignInManager<AppSignInManager>()
    .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
    .AddPasswordValidator<CommonPasswordValidator>()
    .AddDefaultTokenProviders();
builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
builder.Services.ConfigureApplicationCookie(o =>
{
    o.Cookie.Name = builder.Environment.IsProduction() ? "__Host-AlignmentHub" : "AlignmentHub.Auth";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Lax;
    o.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
    o.SlidingExpiration = true;
    o.LoginPath = "/account/login";
    o.LogoutPath = "/account/logout";
    o.AccessDeniedPath = "/account/access-denied";

    // Identity's security-stamp check (roles, disabling) builds a SignInManager and a UserManager on every request
    // only to find, nearly always, that the interval has not passed: look at the ticket's age first, as it would.
    o.Events.OnValidatePrincipal = context =>
    {
        var interval = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval;
        var issued = context.Properties.IssuedUtc;
        return issued is null || context.Options.TimeProvider!.GetUtcNow() - issued.Value > interval
            ? SecurityStampValidator.ValidatePrincipalAsync(context)
            : Task.CompletedTask;
    };

    // A signed-in user refused by an authorization policy gets the 403 page at the address they asked for (not a
    // redirect), and the refusal is logged like every other 403 (checklist H.35).
    o.Events.OnRedirectToAccessDenied = context =>
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AlignmentHub.Web.Security.AccessDenied")
            .LogWarning("Access denied to {User} for {Method} {Path}", context.HttpContext.User.Identity?.Name, context.Request.Method, context.Request.Path.Value);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    };
});
foreach (var scheme in new[] { IdentityConstants.ExternalScheme, IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
{
    // Identity's other cookies are unused (no external or two-factor sign-in), but sign-out still writes their
    // deletion: give them the same name prefix and Secure flag as the rest in Production.
    builder.Services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(scheme, o =>
    {
        if (builder.Environment.IsProduction())
        {
            o.Cookie.Name = "__Host-" + scheme;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        }
    });
}

// The cookie handler, the security-stamp validator and the session store all read the clock from the registered
// TimeProvider (ASP.NET Core post-configures their TimeProvider from DI), so tests can move time forward.

// Sessions live in the database: the cookie holds only a session key, so sign-out revokes at once (checklist B.10).
builder.Services.AddSingleton<DatabaseTicketStore>();
builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
    .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
builder.Services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
{
    // Flash messages ride in this cookie: the same protections as the sign-in cookie.
    o.Cookie.Name = builder.Environment.IsProduction() ? "__Host-AlignmentHub.TempData" : "AlignmentHub.TempData";
    o.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    o.Cookie.SameSite = SameSiteMode.Lax;
});
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = builder.Environment.IsProduction() ? "__Host-AlignmentHub.Csrf" : "AlignmentHub.Csrf";
    o.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    o.Cookie.SameSite = SameSiteMode.Strict;
});

// Several instances can serve one database: they share the key ring stored in it. With a certificate configured
// (DataProtection:CertificatePath, a PKCS#12 file with its private key, + DataProtection:CertificatePassword) the keys
// are encrypted at rest with it, so a copy of the database alone cannot forge or read cookies; every instance needs
// the same certificate. Without one, keys are stored unencrypted (the startup warning "No XML encryptor configured").
var dataProtection = builder.Services.AddDataProtection().SetApplicationName("AlignmentHub").PersistKeysToDbContext<AppDbContext>();
if (builder.Configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
{
    dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
        Path.GetFullPath(certificatePath, builder.Environment.ContentRootPath), builder.Configuration["DataProtection:CertificatePassword"]));
}

// Behind a reverse proxy: take the client address and scheme from X-Forwarded-For/-Proto, but only from the proxies
// named in configuration (ForwardedHeaders:KnownProxies, ForwardedHeaders:KnownNetworks). Nothing configured, no
// forwarded header is trusted, so a client cannot spoof its address to the sign-in rate limiter.
var forwardedHeaders = ForwardedHeadersSetup.FromConfiguration(builder.Configuration);
if (forwardedHeaders is not null)
{
    builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(forwardedHeaders.Apply);
}

builder.Services.AddAuthorization(o =>
{
    o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
});
builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();
builder.Services.AddScoped<StrategyAccess>();
builder.Services.AddScoped<UserMemberships>();
builder.Services.AddScoped<OkrAccess>();
builder.Services.AddScoped<RoadmapAccess>();
builder.Services.AddScoped<AlignmentHub.Web.Infrastructure.Alignment.AlignmentGraphLoader>();
builder.Services.AddSingleton<AlignmentHub.Web.Infrastructure.Alignment.ProductSnapshotCache>();
builder.Services.AddSingleton<AlignmentHub.Web.Infrastructure.Alignment.ReadModelCache>();
builder.Services.AddScoped<AlignmentHub.Web.Features.Shared.NavigationContext>();
builder.Services.AddSingleton<MarkdownRenderer>();
builder.Services.AddSingleton<SignInThrottle>();

builder.Services.AddAuditLog(builder.Configuration);
builder.Services.AddDeletedPurge();

builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.OnRejected = (context, _) =>
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ValueTask.CompletedTask;
    };
    // Sign-in is deliberately slow (PBKDF2, 210k iterations): cap attempts per client address.
    o.AddPolicy(RateLimitPolicies.SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("Security:SignInAttemptsPerMinute", 10), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
});

builder.Services.AddMediator((MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
});
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped);

builder.Services
    .AddControllersWithViews(o =>
    {
        o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
        o.Filters.Add<HttpErrorExceptionFilter>();
        var messages = o.ModelBindingMessageProvider;
        messages.SetValueMustBeANumberAccessor(_ => "Enter a whole number.");
        messages.SetAttemptedValueIsInvalidAccessor((value, _) => $"“{value}” is not a valid value here.");
        messages.SetValueIsInvalidAccessor(value => $"“{value}” is not a valid value here.");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"“{value}” is not a valid value here.");
        messages.SetMissingBindRequiredValueAccessor(_ => "This value is required.");
        messages.SetValueMustNotBeNullAccessor(_ => "This value is required.");
    })
    .AddRazorOptions(o =>
    {
        // Feature folders: Features/{Controller}/{View}.cshtml, shared views in Features/Shared.
        o.ViewLocationFormats.Clear();
        o.ViewLocationFormats.Add("/Features/{1}/{0}" + RazorViewEngine.ViewExtension);
        o.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
    })
    .ConfigureApplicationPartManager(m => m.FeatureProviders.Add(
        new AlignmentHub.Web.Features.Baseline.BaselineControllerSwitch(builder.Configuration.GetValue<bool>(AlignmentHub.Web.Features.Baseline.BaselineController.Setting))));
// Numbers and options are read strictly ("0,5" is refused beside the field, not saved as 5): after the MVC defaults.
builder.Services.ConfigureOptions<AlignmentHub.Web.Infrastructure.Binding.StrictBindingSetup>();
builder.Services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
builder.Services.AddHsts(o =>
{
    o.MaxAge = TimeSpan.FromDays(365);
    o.IncludeSubDomains = true;
});

builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
builder.Services.AddScoped<DatabaseInitializer>();
builder.Services.AddScoped<DemoDataSeeder>();
builder.Services.AddScoped<LargeDataSeeder>();
builder.Services.AddScoped<AlignmentHub.Web.Infrastructure.Operations.SqliteBackup>();

var app = builder.Build();

if (command is "migrate" or "seed-large")
{
    // Command-line mode: `dotnet AlignmentHub.Web.dll migrate` (production deployments) or `seed-large`.
    using var scope = app.Services.CreateScope();
    var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
    await initializer.MigrateAsync(CancellationToken.None);
    if (command == "seed-large" && !await scope.ServiceProvider.GetRequiredService<LargeDataSeeder>().SeedAsync(args, CancellationToken.None))
    {
        return 1;
    }

    return 0;
}

if (command is "backup" or "restore")
{
    // `backup --to FILE` (online, while the app runs) and `restore --from FILE` (app stopped): SQLite only.
    using var scope = app.Services.CreateScope();
    return await scope.ServiceProvider.GetRequiredService<AlignmentHub.Web.Infrastructure.Operations.SqliteBackup>()
        .RunAsync(command, args, CancellationToken.None) ? 0 : 1;
}

using (var scope = app.Services.CreateScope())
{
    if (!await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None))
    {
        return 1;
    }
}

if (forwardedHeaders is not null)
{
    // First, so that everything after it (HSTS, rate limiter, logs, cookies) sees the client, not the proxy.
    app.UseForwardedHeaders();
}

if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}
else
{
    app.UseExceptionHandler("/error/500");
    app.UseHsts();
}

app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseMiddleware<RequestLimitsMiddleware>();
app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapControllers();

await app.RunAsync();
return 0;

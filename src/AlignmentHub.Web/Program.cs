using System.Threading.RateLimiting;
using AlignmentHub.Infrastructure;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
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
builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));

// Persistence: one DbContext, provider chosen by Database:Provider.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<IAuditActor, HttpAuditActor>();
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
});
// Sessions live in the database: the cookie holds only a session key, so sign-out revokes at once (checklist B.10).
builder.Services.AddSingleton<DatabaseTicketStore>();
builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
    .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = builder.Environment.IsProduction() ? "__Host-AlignmentHub.Csrf" : "AlignmentHub.Csrf";
    o.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    o.Cookie.SameSite = SameSiteMode.Strict;
});

// Several instances can serve one database: they share the key ring stored in it.
builder.Services.AddDataProtection().SetApplicationName("AlignmentHub").PersistKeysToDbContext<AppDbContext>();

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
builder.Services.AddScoped<AlignmentHub.Web.Features.Shared.NavigationContext>();
builder.Services.AddSingleton<MarkdownRenderer>();

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
app.UseSerilogRequestLogging();
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

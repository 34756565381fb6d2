using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Infrastructure.Startup;

/// <summary>
/// The <c>seed-large</c> command (brief §8): adds a NEW product with the large demo data set — 12 ranked goals (and one
/// retired), 20 teams with one member each, 80 objectives with 300 key results in the current quarter, 50,000 check-ins
/// and 10,000 roadmap items with links and dependencies — so page speed can be measured on realistic volumes.
/// </summary>
/// <remarks>
/// <para>Usage: <c>seed-large [--items 10000] [--checkins 50000] [--product "Atlas (large data set)"]</c>.</para>
/// <para>Deterministic: one <c>new Random(2027)</c> drives every choice, so two runs on empty databases on the same day
/// produce the same data (keys, user ids and time stamps relative to "now" aside).</para>
/// <para>Everything goes through the domain constructors and methods, and through the normal audit interceptor
/// (one "Created" audit row per entity, actor "system"); rows are saved in batches with automatic change detection off
/// and the change tracker cleared between batches. The whole seed runs in one transaction: all or nothing.</para>
/// </remarks>
public sealed class LargeDataSeeder(
    AppDbContext db,
    UserManager<ApplicationUser> userManager,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<LargeDataSeeder> logger)
{
    public const string DefaultProductName = "Atlas (large data set)";
    public const int DefaultItems = 10_000;
    public const int DefaultCheckIns = 50_000;
    public const int MaxItems = 1_000_000;
    public const int MaxCheckIns = 10_000_000;

    private const int ObjectiveCount = 80;
    private const int KeyResultCount = 300;
    private const int ItemBatchSize = 1_000;
    private const int CheckInBatchSize = 2_000;
    private const double OrphanShare = 0.08;
    private const double RetiredGoalShare = 0.005;

    private readonly Random rng = new(2027);

    public async Task<bool> SeedAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!TryParseArguments(args, out var options, out var error))
        {
            logger.LogError("seed-large: {Error} Usage: seed-large [--items N] [--checkins N] [--product \"Name\"]", error);
            return false;
        }

        try
        {
            return await SeedAsync(options, cancellationToken);
        }
        catch (DomainException ex)
        {
            logger.LogError("seed-large: {Error} Nothing was saved.", ex.Message);
            return false;
        }
    }

    /// <summary>Reads --items, --checkins and --product (as "--name value" or "--name=value").</summary>
    internal static bool TryParseArguments(string[] args, out SeedOptions options, out string? error)
    {
        options = new SeedOptions(DefaultProductName, DefaultItems, DefaultCheckIns);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string name;
            string? value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
                value = i + 1 < args.Length ? args[i + 1] : null;
            }

            switch (name.ToLowerInvariant())
            {
                case "--items":
                    if (!TryParseCount(value, MaxItems, out var items))
                    {
                        error = $"--items needs a whole number between 1 and {MaxItems:N0}, not '{value}'.";
                        return false;
                    }

                    options = options with { Items = items };
                    break;
                case "--checkins":
                    if (!TryParseCount(value, MaxCheckIns, out var checkIns))
                    {
                        error = $"--checkins needs a whole number between 1 and {MaxCheckIns:N0}, not '{value}'.";
                        return false;
                    }

                    options = options with { CheckIns = checkIns };
                    break;
                case "--product":
                    var product = value?.Trim();
                    if (string.IsNullOrEmpty(product) || (equals < 0 && product.StartsWith('-')) || product.Length > Limits.Name)
                    {
                        error = $"--product needs a name of 1 to {Limits.Name} characters.";
                        return false;
                    }

                    options = options with { ProductName = product };
                    break;
                default:
                    continue;
            }

            if (equals < 0)
            {
                i++;
            }
        }

        return true;
    }

    private static bool TryParseCount(string? value, int max, out int count) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1 && count <= max;

    private async Task<bool> SeedAsync(SeedOptions options, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        if (await db.Products.AnyAsync(p => p.Name == options.ProductName, ct))
        {
            logger.LogError(
                "seed-large: a product named \"{Product}\" already exists; nothing was changed. Use --product \"Another name\" or an empty database.",
                options.ProductName);
            return false;
        }

        var teamNames = await ChooseTeamNamesAsync(options.ProductName, ct);
        if (teamNames is null)
        {
            logger.LogError("seed-large: teams named after \"{Product}\" already exist; choose another --product name.", options.ProductName);
            return false;
        }

        logger.LogInformation(
            "seed-large: creating product \"{Product}\" with {Items:N0} roadmap items and {CheckIns:N0} check-ins on {Provider}…",
            options.ProductName, options.Items, options.CheckIns, db.Database.ProviderName);

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (password, generated) = ChoosePassword();

        var previousAutoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var people = await SeedUsersAsync(EmailDomain(options.ProductName), password);
            if (people is null)
            {
                return false;
            }

            // From here on, the audit interceptor's explicit DetectChanges before each save is the only scan.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var strategy = await SeedStrategyAsync(options.ProductName, people.Value.Manager, now, ct);
            var period = await FindOrCreatePeriodAsync(today, ct);
            var teams = await SeedTeamsAsync(teamNames, people.Value.Members, ct);
            var okrs = await SeedOkrsAsync(strategy, period, teams, now, ct);
            logger.LogInformation("seed-large: strategy, {Teams} teams, {Objectives} objectives and {KeyResults} key results saved ({Seconds:0.0} s).",
                teams.Count, okrs.ObjectiveIds.Count, okrs.KeyResults.Count, stopwatch.Elapsed.TotalSeconds);

            var checkIns = await SeedCheckInsAsync(okrs, people.Value.Members, period, options.CheckIns, now, stopwatch, ct);
            var roadmap = await SeedRoadmapAsync(strategy, period, teams, okrs, people.Value.Members, options.Items, now, stopwatch, ct);

            await transaction.CommitAsync(ct);
            stopwatch.Stop();
            logger.LogInformation(
                "seed-large: done in {Seconds:0.0} s. Product \"{Product}\" (id {ProductId}): {Goals} active goals + 1 retired, {Teams} teams, "
                + "{Users} users, period {Period}, {Objectives} objectives, {KeyResults} key results, {CheckIns:N0} check-ins, "
                + "{Items:N0} roadmap items ({Orphans:N0} without links, {RetiredLinked} linked only to the retired goal), "
                + "{Links:N0} links, {Dependencies:N0} dependencies, {Evidence:N0} evidence notes.",
                stopwatch.Elapsed.TotalSeconds, options.ProductName, strategy.ProductId, strategy.GoalIds.Count, teams.Count,
                people.Value.Members.Count + 1, period.Key, okrs.ObjectiveIds.Count, okrs.KeyResults.Count, checkIns,
                roadmap.Items, roadmap.Orphans, roadmap.RetiredOnly, roadmap.Links, roadmap.Dependencies, roadmap.Evidence);
            var domain = EmailDomain(options.ProductName);
            if (people.Value.Reused == people.Value.Members.Count + 1)
            {
                logger.LogWarning(
                    "seed-large: sign in as member01@{Domain} … member{Last:00}@{Domain} (team members) or pm@{Domain} (product manager); these users existed already and keep their password.",
                    domain, people.Value.Members.Count, domain, domain);
            }
            else
            {
                logger.LogWarning(
                    "seed-large: sign in as member01@{Domain} … member{Last:00}@{Domain} (team members) or pm@{Domain} (product manager) with the password {Password}{Reused}.",
                    domain, people.Value.Members.Count, domain, domain,
                    generated ? $"\"{password}\" (generated; set Seed:DemoPassword to choose one)" : "from Seed:DemoPassword",
                    people.Value.Reused > 0 ? $" ({people.Value.Reused} of them existed already and keep their password)" : string.Empty);
            }

            return true;
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = previousAutoDetect;
        }
    }

    private (string Password, bool Generated) ChoosePassword()
    {
        var configured = configuration["Seed:DemoPassword"];
        return string.IsNullOrWhiteSpace(configured)
            ? ("large-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant(), true)
            : (configured, false);
    }

    /// <summary>"Atlas (large data set)" → "Atlas": the short name used for team names and e-mail addresses.</summary>
    private static string ShortName(string productName)
    {
        var paren = productName.IndexOf(" (", StringComparison.Ordinal);
        var shortName = (paren > 0 ? productName[..paren] : productName).Trim();
        return shortName.Length == 0 ? productName : shortName;
    }

    private static string EmailDomain(string productName)
    {
        var slug = new string(ShortName(productName).ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray());
        return (slug.Length == 0 ? "large" : slug) + ".example";
    }

    /// <summary>Team names are unique across products: "Atlas Search", or "{full product name} · Search" when those exist.</summary>
    private async Task<List<string>?> ChooseTeamNamesAsync(string productName, CancellationToken ct)
    {
        foreach (var prefix in new[] { ShortName(productName) + " ", productName + " · " })
        {
            var names = LargeDataCatalog.Teams.Select(t => (prefix + t.Area).Trim()).ToList();
            if (names.Any(n => n.Length > Limits.Name))
            {
                continue;
            }

            if (!await db.Teams.AnyAsync(t => names.Contains(t.Name), ct))
            {
                return names;
            }
        }

        return null;
    }

    private async Task<(ApplicationUser Manager, List<ApplicationUser> Members, int Reused)?> SeedUsersAsync(string domain, string password)
    {
        // PBKDF2 with 210,000 iterations costs ~0.1 s a hash: the password is validated and hashed once, then the hash
        // is shared by these demo accounts, which share the password anyway.
        string? passwordHash = null;
        var reused = 0;

        async Task<ApplicationUser?> EnsureUser(string email, string name, string role)
        {
            var user = await userManager.FindByEmailAsync(email);
            if (user is null)
            {
                user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
                IdentityResult created;
                if (passwordHash is null)
                {
                    created = await userManager.CreateAsync(user, password);
                    passwordHash = user.PasswordHash;
                }
                else
                {
                    user.PasswordHash = passwordHash;
                    created = await userManager.CreateAsync(user);
                }

                if (!created.Succeeded)
                {
                    logger.LogError("seed-large: could not create the user {Email}: {Errors} Nothing was saved.",
                        email, string.Join(" ", created.Errors.Select(e => e.Description)));
                    return null;
                }
            }
            else
            {
                reused++;
                logger.LogInformation("seed-large: reusing the existing user {Email} (it keeps its password).", email);
            }

            if (!await userManager.IsInRoleAsync(user, role))
            {
                await userManager.AddToRoleAsync(user, role);
            }

            return user;
        }

        var manager = await EnsureUser("pm@" + domain, LargeDataCatalog.ProductManagerName, Roles.ProductManager);
        if (manager is null)
        {
            return null;
        }

        var members = new List<ApplicationUser>();
        for (var i = 0; i < LargeDataCatalog.MemberNames.Count; i++)
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"member{i + 1:00}@{domain}");
            var member = await EnsureUser(email, LargeDataCatalog.MemberNames[i], Roles.TeamMember);
            if (member is null)
            {
                return null;
            }

            members.Add(member);
        }

        return (manager, members, reused);
    }

    private async Task<StrategyIds> SeedStrategyAsync(string productName, ApplicationUser manager, DateTimeOffset now, CancellationToken ct)
    {
        var product = new Product(productName, LargeDataCatalog.ProductDescription, now.AddDays(-500));
        var goals = LargeDataCatalog.Goals
            .Select(g => product.AddGoal(g.Title, g.Description, g.SuccessMetric, g.Horizon))
            .ToList();
        var retired = product.AddGoal(LargeDataCatalog.RetiredGoal.Title, "Ship Atlas for customers' own data centres.", "On-premise installations", GoalHorizon.LongTerm);
        retired.Retire(LargeDataCatalog.RetiredGoal.Reason, now.AddDays(-40));
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);

        var vision = new Vision(product.Id);
        vision.Revise(LargeDataCatalog.VisionText, manager.Id, manager.DisplayName, now.AddDays(-90), "Vision for the large demo data set.", null);
        db.Visions.Add(vision);
        db.ProductManagers.Add(new ProductManagerAssignment(product.Id, manager.Id));
        await db.SaveChangesAsync(ct);
        var ids = new StrategyIds(product.Id, product.Name, goals.Select(g => g.Id).ToList(), retired.Id);
        db.ChangeTracker.Clear();
        return ids;
    }

    /// <summary>Periods are shared by all products: reuse this quarter's row when it exists.</summary>
    private async Task<Period> FindOrCreatePeriodAsync(DateOnly today, CancellationToken ct)
    {
        var wanted = Period.Containing(today);
        var existing = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == wanted.Key, ct);
        if (existing is not null)
        {
            return existing;
        }

        db.Periods.Add(wanted);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return wanted;
    }

    private async Task<List<TeamInfo>> SeedTeamsAsync(List<string> names, List<ApplicationUser> members, CancellationToken ct)
    {
        var teams = new List<Team>();
        for (var i = 0; i < names.Count; i++)
        {
            var team = new Team(names[i], LargeDataCatalog.Teams[i].Mission);
            team.AddMember(members[i % members.Count].Id, isLead: true);
            teams.Add(team);
        }

        db.Teams.AddRange(teams);
        await db.SaveChangesAsync(ct);
        var result = teams.Select((t, i) => new TeamInfo(t.Id, LargeDataCatalog.Teams[i].Area, members[i % members.Count])).ToList();
        db.ChangeTracker.Clear();
        return result;
    }

    private async Task<OkrIds> SeedOkrsAsync(StrategyIds strategy, Period period, List<TeamInfo> teams, DateTimeOffset now, CancellationToken ct)
    {
        var start = new DateTimeOffset(period.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var created = start < now ? start : now;

        // 1–5 key results per objective, 300 in all.
        var krCounts = Enumerable.Repeat(1, ObjectiveCount).ToArray();
        for (var extra = KeyResultCount - ObjectiveCount; extra > 0;)
        {
            var o = rng.Next(ObjectiveCount);
            if (krCounts[o] < Objective.MaxKeyResults)
            {
                krCounts[o]++;
                extra--;
            }
        }

        // Objective o belongs to team o / 4; the last one of each team aligns to another team's objective.
        var perTeam = ObjectiveCount / teams.Count;
        var objectives = new Objective?[ObjectiveCount];
        var keyResults = new List<KeyResultInfo>();

        Objective Create(int o, int? goalId, int? parentId)
        {
            var team = teams[o / perTeam];
            var title = string.Format(CultureInfo.InvariantCulture,
                LargeDataCatalog.ObjectiveTitles[rng.Next(LargeDataCatalog.ObjectiveTitles.Count)], team.Area);
            var templates = LargeDataCatalog.KeyResults.OrderBy(_ => rng.Next()).Take(krCounts[o]).ToList();
            var definitions = templates.Select(NewDefinition).ToList();
            var objective = new Objective(team.Id, period.Id, title, $"{title}, this quarter.", goalId, parentId, team.Member.Id, definitions, created);
            if (rng.NextDouble() < 0.15)
            {
                objective.SetWeight(2m);
            }

            objectives[o] = objective;
            db.Objectives.Add(objective);
            return objective;
        }

        for (var o = 0; o < ObjectiveCount; o++)
        {
            if (o % perTeam != perTeam - 1)
            {
                // Higher-ranked goals get a little more attention, but every goal gets some.
                var goal = rng.NextDouble() < 0.6 ? rng.Next(strategy.GoalIds.Count) : rng.Next(Math.Min(6, strategy.GoalIds.Count));
                Create(o, strategy.GoalIds[goal], null);
            }
        }

        await db.SaveChangesAsync(ct);
        for (var o = 0; o < ObjectiveCount; o++)
        {
            if (o % perTeam == perTeam - 1)
            {
                int parent;
                do
                {
                    parent = rng.Next(ObjectiveCount);
                }
                while (parent % perTeam == perTeam - 1 || parent / perTeam == o / perTeam);

                Create(o, null, objectives[parent]!.Id);
            }
        }

        await db.SaveChangesAsync(ct);
        for (var o = 0; o < ObjectiveCount; o++)
        {
            foreach (var kr in objectives[o]!.KeyResults)
            {
                keyResults.Add(new KeyResultInfo(kr.Id, o / perTeam));
            }
        }

        var result = new OkrIds(objectives.Select((x, o) => (x!.Id, o / perTeam)).ToList(), keyResults);
        db.ChangeTracker.Clear();
        return result;
    }

    private KeyResultDefinition NewDefinition(KrTemplate t)
    {
        var baseline = t.Baseline;
        var target = t.Target;
        if (t.Scale)
        {
            var factor = 0.8m + (rng.Next(46) / 100m);
            baseline = Round(baseline * factor, t.Integer);
            target = Round(target * factor, t.Integer);
        }

        var weight = rng.NextDouble() switch { < 0.8 => 1m, < 0.95 => 2m, _ => 3m };
        var cadence = rng.NextDouble() switch { < 0.75 => KeyResult.DefaultCadenceDays, < 0.95 => 7, _ => 30 };
        return new KeyResultDefinition(t.Title, t.Type, t.Direction, baseline, target, t.BandLow, t.BandHigh, t.Unit, t.Currency,
            weight, cadence, t.MetricName);
    }

    private static decimal Round(decimal value, bool integer) =>
        Math.Round(value, integer ? 0 : 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Spreads the check-ins over the key results (uneven, ~8 % of them stale), and records each key result's check-ins
    /// in time order through <see cref="KeyResult.RecordCheckIn"/>, a few key results per save.
    /// </summary>
    private async Task<int> SeedCheckInsAsync(OkrIds okrs, List<ApplicationUser> members, Period period, int total,
        DateTimeOffset now, Stopwatch stopwatch, CancellationToken ct)
    {
        var start = new DateTimeOffset(period.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (start >= now)
        {
            start = now.AddHours(-1);
        }

        var elapsedShare = (double)period.ElapsedShare(DateOnly.FromDateTime(now.UtcDateTime));
        var weights = okrs.KeyResults.Select(_ => 0.4 + (rng.NextDouble() * 1.2)).ToArray();
        var sum = weights.Sum();
        var counts = weights.Select(w => (int)Math.Floor(total * w / sum)).ToArray();
        for (var k = 0; counts.Sum() < total; k = (k + 1) % counts.Length)
        {
            counts[k]++;
        }

        var saved = 0;
        var nextLog = 10_000;
        for (var first = 0; first < okrs.KeyResults.Count;)
        {
            // One batch: consecutive key results holding about CheckInBatchSize check-ins.
            var last = first;
            for (var n = counts[first]; last + 1 < okrs.KeyResults.Count && n + counts[last + 1] <= CheckInBatchSize; n += counts[++last])
            {
            }

            var ids = okrs.KeyResults.Skip(first).Take(last - first + 1).Select(k => k.Id).ToList();
            var loaded = await db.KeyResults.Include(k => k.Objective).Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
            for (var k = first; k <= last; k++)
            {
                var info = okrs.KeyResults[k];
                var keyResult = loaded[info.Id];
                var author = members[info.Team % members.Count];
                var plan = NewCheckInPlan(keyResult, elapsedShare);
                var end = plan.Stale && now.AddDays(-(keyResult.CadenceDays + 3 + rng.Next(15))) is var staleEnd && staleEnd > start.AddDays(1)
                    ? staleEnd
                    : now;
                var span = end - start;
                var count = counts[k];
                for (var c = 0; c < count; c++)
                {
                    // Stratified: one check-in in each of `count` equal slices of the span, so they come in time order.
                    // Values follow the position in the series, not the clock, so every run yields the same values.
                    var position = (c + rng.NextDouble()) / count;
                    var at = start + (span * position);
                    var confidence = Math.Clamp(plan.Confidence + rng.Next(-1, 2), 0, 10);
                    var note = rng.NextDouble() < 0.35 ? LargeDataCatalog.CheckInNotes[rng.Next(LargeDataCatalog.CheckInNotes.Count)] : null;
                    keyResult.RecordCheckIn(CheckInValue(keyResult, plan, position), confidence, note, author.Id, author.DisplayName,
                        new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            saved += counts.Skip(first).Take(last - first + 1).Sum();
            if (saved >= nextLog || last == okrs.KeyResults.Count - 1)
            {
                logger.LogInformation("seed-large: {Saved:N0} / {Total:N0} check-ins saved ({Seconds:0.0} s).", saved, total, stopwatch.Elapsed.TotalSeconds);
                nextLog = (saved / 10_000 * 10_000) + 10_000;
            }

            first = last + 1;
        }

        return saved;
    }

    private CheckInPlan NewCheckInPlan(KeyResult kr, double elapsedShare)
    {
        // Where the key result ends up today, as a share of the way from baseline to target.
        var finalShare = rng.NextDouble() switch
        {
            < 0.03 => -0.1,
            < 0.08 => 1.05 + (rng.NextDouble() * 0.25),
            _ => Math.Max(0.05, elapsedShare) * (0.25 + (rng.NextDouble() * 1.2)),
        };
        var confidence = rng.NextDouble() switch { < 0.15 => 2 + rng.Next(2), < 0.4 => 4 + rng.Next(3), _ => 7 + rng.Next(3) };
        return new CheckInPlan(
            Stale: rng.NextDouble() < 0.08,
            FinalShare: finalShare,
            HoldRate: 0.6 + (rng.NextDouble() * 0.4),
            ReachedAt: kr.MetricType is MetricType.Boolean or MetricType.Milestone && rng.NextDouble() < 0.4 ? 0.3 + (rng.NextDouble() * 0.7) : 2.0,
            Confidence: confidence);
    }

    private decimal CheckInValue(KeyResult kr, CheckInPlan plan, double position)
    {
        var integer = kr.Unit is "users" or "incidents" or "integrations" or "seats" or "deploys" or "ms"
            || (kr.Unit == "days" && kr.Baseline == Math.Round(kr.Baseline));
        var percent = kr.MetricType == MetricType.Percent;
        var holds = rng.NextDouble() < plan.HoldRate;
        var r = (decimal)rng.NextDouble();
        decimal value;
        if (kr.MetricType is MetricType.Boolean or MetricType.Milestone)
        {
            return position >= plan.ReachedAt ? 1m : 0m;
        }

        switch (kr.Direction)
        {
            case MetricDirection.StayAbove:
                var roomAbove = percent ? (100m - kr.Target) * 0.8m : Math.Max(Math.Abs(kr.Target) * 0.05m, 1m);
                value = holds ? kr.Target + (r * roomAbove) : kr.Target - (r * Math.Max(roomAbove, percent ? 0.5m : 1m)) - 0.01m;
                break;
            case MetricDirection.StayBelow:
                value = integer
                    ? (holds ? Math.Floor(kr.Target * r) : kr.Target + 1 + Math.Floor(r * 2))
                    : (holds ? kr.Target * r : kr.Target * (1.01m + (r * 0.5m)));
                break;
            case MetricDirection.StayWithin:
                var low = kr.BandLow ?? kr.Target;
                var high = kr.BandHigh ?? kr.Target;
                var width = Math.Max(high - low, 1m);
                value = holds ? low + (r * (high - low)) : (r < 0.5m ? low - (width * 0.2m * (r + 0.05m)) : high + (width * 0.2m * (r - 0.45m)));
                break;
            default:
                var noise = (rng.NextDouble() - 0.5) * 0.06;
                var share = (decimal)((plan.FinalShare * position) + noise);
                value = kr.Baseline + ((kr.Target - kr.Baseline) * share);
                if (kr.Baseline >= 0m && kr.Target >= 0m)
                {
                    value = Math.Max(0m, value);
                }

                break;
        }

        if (percent)
        {
            // Shares stay within 0–100 %; ratios such as net revenue retention may exceed 100 %.
            value = Math.Clamp(value, 0m, Math.Max(100m, Math.Max(kr.Baseline, kr.Target) * 1.5m));
        }

        return Round(value, integer);
    }

    private async Task<RoadmapCounts> SeedRoadmapAsync(StrategyIds strategy, Period period, List<TeamInfo> teams, OkrIds okrs,
        List<ApplicationUser> members, int total, DateTimeOffset now, Stopwatch stopwatch, CancellationToken ct)
    {
        var currentKey = period.Key;
        var previous = period.Quarter == 1 ? Period.ForQuarter(period.Year - 1, 4) : Period.ForQuarter(period.Year, period.Quarter - 1);
        var (ny, nq) = period.Next();
        var next = Period.ForQuarter(ny, nq);
        var (ly, lq) = next.Next();
        var later = Period.ForQuarter(ly, lq);
        var (fy, fq) = later.Next();
        var farKey = Period.ForQuarter(fy, fq).Key;
        var quarterStart = new DateTimeOffset(period.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var sinceStart = now > quarterStart ? now - quarterStart : TimeSpan.FromHours(1);

        var keyResultsByTeam = okrs.KeyResults.GroupBy(k => k.Team).ToDictionary(g => g.Key, g => g.Select(k => k.Id).ToList());
        var objectivesByTeam = okrs.ObjectiveIds.GroupBy(o => o.Team).ToDictionary(g => g.Key, g => g.Select(o => o.Id).ToList());
        var prefix = new string(ShortName(strategy.ProductName).ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).Take(4).ToArray());
        prefix = prefix.Length == 0 ? "ITEM" : prefix;

        // Dependencies only point to an item with a lower index, so they can never form a cycle.
        var plannedDependencies = new Dictionary<int, List<int>>();
        var dependencyTarget = Math.Min(total / 20, Math.Max(0, total - 1));
        for (var made = 0; made < dependencyTarget;)
        {
            var item = 1 + rng.Next(total - 1);
            var blocker = item - 1 - rng.Next(Math.Min(item, 300));
            var list = plannedDependencies.TryGetValue(item, out var existing) ? existing : plannedDependencies[item] = [];
            if (!list.Contains(blocker))
            {
                list.Add(blocker);
                made++;
            }
        }

        var items = new RoadmapItem[total];
        var dependsOn = new Dictionary<int, List<int>>();
        var positions = new Dictionary<RoadmapHorizon, int>();
        var counts = new RoadmapCounts(total, 0, 0, 0, 0, 0);
        for (var first = 0; first < total; first += ItemBatchSize)
        {
            var last = Math.Min(total, first + ItemBatchSize) - 1;
            for (var i = first; i <= last; i++)
            {
                var teamIndex = rng.Next(teams.Count);
                var team = teams[teamIndex];
                var horizon = rng.NextDouble() switch { < 0.3 => RoadmapHorizon.Now, < 0.65 => RoadmapHorizon.Next, _ => RoadmapHorizon.Later };
                var status = NewStatus(horizon);
                var effortIndex = rng.Next(LargeDataCatalog.Efforts.Count);
                var effort = rng.NextDouble() < 0.06 ? (decimal?)null : LargeDataCatalog.Efforts[effortIndex];
                var kind = effort >= 13m || rng.NextDouble() < 0.05 ? RoadmapItemKind.Initiative : RoadmapItemKind.Feature;
                var title = LargeDataCatalog.ItemQualifiers[rng.Next(LargeDataCatalog.ItemQualifiers.Count)] + " "
                    + LargeDataCatalog.ItemFeatures[rng.Next(LargeDataCatalog.ItemFeatures.Count)];
                var item = new RoadmapItem(strategy.ProductId, team.Id, title, kind, horizon, now.AddDays(-rng.Next(1, 240)).AddMinutes(-rng.Next(1440)));
                item.Edit(title, $"{title} for the {team.Area} team; asked for by {1 + rng.Next(40)} customers.", kind, team.Id,
                    rng.NextDouble() < 0.9 ? team.Member.Id : null, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{1001 + i}"));

                var targetKey = status == RoadmapItemStatus.Shipped
                    ? (rng.NextDouble() < 0.1 ? previous.Key : currentKey)
                    : horizon switch
                    {
                        RoadmapHorizon.Now => currentKey,
                        RoadmapHorizon.Next => rng.NextDouble() < 0.9 ? next.Key : currentKey,
                        _ => rng.NextDouble() < 0.6 ? later.Key : farKey,
                    };
                DateOnly? startDate = null;
                DateOnly? endDate = null;
                if (horizon != RoadmapHorizon.Later && rng.NextDouble() < 0.25
                    && Period.TryParseKey(targetKey, out var year, out var quarter))
                {
                    var target = Period.ForQuarter(year, quarter);
                    startDate = target.StartDate.AddDays(rng.Next(45));
                    endDate = startDate.Value.AddDays(7 + rng.Next(40));
                }

                item.Schedule(horizon, targetKey, startDate, endDate);
                positions[horizon] = positions.GetValueOrDefault(horizon) + 1;
                item.MoveOnBoard(horizon, positions[horizon] * 10);
                if (rng.NextDouble() < 0.88)
                {
                    item.Estimate(effort, 10 * (1 + rng.Next(2000)), LargeDataCatalog.RiceImpacts[rng.Next(LargeDataCatalog.RiceImpacts.Count)],
                        LargeDataCatalog.RiceConfidences[rng.Next(LargeDataCatalog.RiceConfidences.Count)]);
                }
                else
                {
                    item.Estimate(effort, null, null, null);
                }

                var statusAt = status == RoadmapItemStatus.Shipped && targetKey == previous.Key
                    ? quarterStart.AddDays(-1 - rng.Next(60))
                    : quarterStart + (sinceStart * rng.NextDouble());
                item.ChangeStatus(status, new DateTimeOffset(statusAt.Ticks - (statusAt.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
                if (rng.NextDouble() < 0.01)
                {
                    item.Archive(now.AddDays(-rng.Next(30)));
                }

                if (rng.NextDouble() < 0.04)
                {
                    item.AddEvidence($"Customers asked for \"{title}\" in {2 + rng.Next(9)} recent calls.",
                        rng.NextDouble() < 0.5 ? string.Create(CultureInfo.InvariantCulture, $"https://support.{EmailDomain(strategy.ProductName)}/tickets/{10_000 + i}") : null,
                        1 + rng.Next(3), now.AddDays(-rng.Next(90)));
                    counts = counts with { Evidence = counts.Evidence + 1 };
                }

                counts = AddLinks(item, teamIndex, strategy, keyResultsByTeam, objectivesByTeam, okrs, counts);
                items[i] = item;
                db.RoadmapItems.Add(item);
            }

            await db.SaveChangesAsync(ct);

            // Keys are known now: record this batch's dependencies (blockers may be in earlier, detached batches).
            var added = 0;
            for (var i = first; i <= last; i++)
            {
                if (!plannedDependencies.TryGetValue(i, out var blockers))
                {
                    continue;
                }

                foreach (var b in blockers)
                {
                    items[i].DependOn(items[b], id => dependsOn.GetValueOrDefault(id) ?? []);
                    (dependsOn.TryGetValue(items[i].Id, out var list) ? list : dependsOn[items[i].Id] = []).Add(items[b].Id);
                    added++;
                }
            }

            if (added > 0)
            {
                await db.SaveChangesAsync(ct);
                counts = counts with { Dependencies = counts.Dependencies + added };
            }

            db.ChangeTracker.Clear();
            if ((last + 1) % 2_000 == 0 || last == total - 1)
            {
                logger.LogInformation("seed-large: {Saved:N0} / {Total:N0} roadmap items saved ({Seconds:0.0} s).", last + 1, total, stopwatch.Elapsed.TotalSeconds);
            }
        }

        return counts;
    }

    private RoadmapItemStatus NewStatus(RoadmapHorizon horizon)
    {
        var r = rng.NextDouble();
        return horizon switch
        {
            RoadmapHorizon.Now => r switch
            {
                < 0.45 => RoadmapItemStatus.InProgress,
                < 0.7 => RoadmapItemStatus.Planned,
                < 0.9 => RoadmapItemStatus.Shipped,
                < 0.95 => RoadmapItemStatus.Idea,
                _ => RoadmapItemStatus.Dropped,
            },
            RoadmapHorizon.Next => r switch
            {
                < 0.45 => RoadmapItemStatus.Planned,
                < 0.9 => RoadmapItemStatus.Idea,
                < 0.95 => RoadmapItemStatus.InProgress,
                _ => RoadmapItemStatus.Dropped,
            },
            _ => r switch
            {
                < 0.85 => RoadmapItemStatus.Idea,
                < 0.95 => RoadmapItemStatus.Planned,
                _ => RoadmapItemStatus.Dropped,
            },
        };
    }

    /// <summary>~8 % orphans, ~0.5 % linked only to the retired goal, the rest 1–2 links (mostly to the team's key results).</summary>
    private RoadmapCounts AddLinks(RoadmapItem item, int teamIndex, StrategyIds strategy, Dictionary<int, List<int>> keyResultsByTeam,
        Dictionary<int, List<int>> objectivesByTeam, OkrIds okrs, RoadmapCounts counts)
    {
        var r = rng.NextDouble();
        if (r < OrphanShare)
        {
            return counts with { Orphans = counts.Orphans + 1 };
        }

        if (r < OrphanShare + RetiredGoalShare)
        {
            item.LinkTo(LinkTargetType.Goal, strategy.RetiredGoalId);
            return counts with { RetiredOnly = counts.RetiredOnly + 1, Links = counts.Links + 1 };
        }

        var wanted = rng.NextDouble() < 0.65 ? 1 : 2;
        var links = 0;
        for (var attempt = 0; links < wanted && attempt < 5; attempt++)
        {
            var kind = rng.NextDouble();
            var ownTeam = rng.NextDouble() < 0.8;
            var (type, targetId) = kind switch
            {
                < 0.7 => (LinkTargetType.KeyResult, ownTeam && keyResultsByTeam.TryGetValue(teamIndex, out var krs)
                    ? krs[rng.Next(krs.Count)]
                    : okrs.KeyResults[rng.Next(okrs.KeyResults.Count)].Id),
                < 0.9 => (LinkTargetType.Objective, ownTeam && objectivesByTeam.TryGetValue(teamIndex, out var objectives)
                    ? objectives[rng.Next(objectives.Count)]
                    : okrs.ObjectiveIds[rng.Next(okrs.ObjectiveIds.Count)].Id),
                _ => (LinkTargetType.Goal, strategy.GoalIds[rng.Next(strategy.GoalIds.Count)]),
            };
            if (item.Links.Any(l => l.TargetType == type && l.TargetId == targetId))
            {
                continue;
            }

            item.LinkTo(type, targetId);
            links++;
        }

        return counts with { Links = counts.Links + links };
    }

    internal sealed record SeedOptions(string ProductName, int Items, int CheckIns);

    private sealed record StrategyIds(int ProductId, string ProductName, List<int> GoalIds, int RetiredGoalId);

    private sealed record TeamInfo(int Id, string Area, ApplicationUser Member);

    private sealed record KeyResultInfo(int Id, int Team);

    private sealed record OkrIds(List<(int Id, int Team)> ObjectiveIds, List<KeyResultInfo> KeyResults);

    private sealed record CheckInPlan(bool Stale, double FinalShare, double HoldRate, double ReachedAt, int Confidence);

    private sealed record RoadmapCounts(int Items, int Orphans, int RetiredOnly, int Links, int Dependencies, int Evidence);
}

using System.Globalization;
using System.Security.Cryptography;
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
/// Seeds a realistic demo product into an empty database, so every page is alive on first run: a versioned vision,
/// ranked goals, four teams, this quarter's OKRs with weeks of check-ins, ~60 roadmap items (some orphans and
/// dependencies) and one demo user per role.
/// </summary>
public sealed class DemoDataSeeder(
    AppDbContext db,
    UserManager<ApplicationUser> userManager,
    TimeProvider clock,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<DemoDataSeeder> logger)
{
    public const string DevelopmentPassword = "Alignment-Demo-2027";

    /// <summary>The demo users: e-mail, display name, role, team (null = none).</summary>
    public static readonly IReadOnlyList<(string Email, string Name, string Role, string? Team)> Users =
    [
        ("admin@alignmenthub.demo", "Alex Morgan", Roles.Admin, null),
        ("pm@alignmenthub.demo", "Priya Shah", Roles.ProductManager, null),
        ("member@alignmenthub.demo", "Tom Becker", Roles.TeamMember, "Onboarding"),
        ("exec@alignmenthub.demo", "Elena Ruiz", Roles.Executive, null),
        ("sam@alignmenthub.demo", "Sam Lee", Roles.TeamMember, "Platform"),
        ("noah@alignmenthub.demo", "Noah Kim", Roles.TeamMember, "Growth"),
        ("mia@alignmenthub.demo", "Mia Chen", Roles.TeamMember, "Insights"),
        ("jonas@alignmenthub.demo", "Jonas Weber", Roles.TeamMember, "Onboarding"),
    ];

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Products.AnyAsync(cancellationToken))
        {
            return;
        }

        var password = configuration["Seed:DemoPassword"];
        if (string.IsNullOrWhiteSpace(password))
        {
            password = environment.IsDevelopment() ? DevelopmentPassword : RandomPassword();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var users = await SeedUsersAsync(password);
        var product = await SeedStrategyAsync(users, now, cancellationToken);
        var teams = await SeedTeamsAsync(users, product, cancellationToken);
        var keyResults = await SeedOkrsAsync(users, product, teams, now, cancellationToken);
        await SeedRoadmapAsync(users, product, teams, keyResults, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogWarning(
            "Demo data created. Sign in as any of these users with the password \"{Password}\": {Users}",
            password, string.Join(", ", Users.Take(4).Select(u => $"{u.Email} ({Roles.DisplayName(u.Role)})")));
    }

    /// <summary>Only the demo administrator (<c>Seed:DemoAdminOnly</c>): no product, team or other person.</summary>
    public async Task SeedAdminIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken) || await db.Products.AnyAsync(cancellationToken))
        {
            return;
        }

        var password = configuration["Seed:DemoPassword"];
        if (string.IsNullOrWhiteSpace(password))
        {
            password = environment.IsDevelopment() ? DevelopmentPassword : RandomPassword();
        }

        var (email, name, role, _) = Users[0];
        var admin = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        var created = await userManager.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the demo administrator: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await userManager.AddToRoleAsync(admin, role);
        logger.LogWarning("Empty database with the demo administrator {Email} created.", email);
    }

    private static string RandomPassword() => "demo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();

    private async Task<Dictionary<string, ApplicationUser>> SeedUsersAsync(string password)
    {
        var result = new Dictionary<string, ApplicationUser>();
        foreach (var (email, name, role, _) in Users)
        {
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var created = await userManager.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("Could not create demo user " + email + ": " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            await userManager.AddToRoleAsync(user, role);
            result[name.Split(' ')[0]] = user;
        }

        return result;
    }

    private async Task<Product> SeedStrategyAsync(Dictionary<string, ApplicationUser> users, DateTimeOffset now, CancellationToken ct)
    {
        var product = new Product("Beacon", "Customer support platform for growing B2B software companies.", now.AddDays(-400));
        product.AddGoal("Grow net revenue retention to 115 %", "Existing customers expand faster than they churn.", "Net revenue retention, trailing 12 months", GoalHorizon.MidTerm);
        product.AddGoal("New customers see value within 7 days", "Shorten time-to-first-value so trials convert and new accounts stick.", "Median days from sign-up to first resolved ticket", GoalHorizon.ShortTerm);
        product.AddGoal("The most reliable support platform in our category", "Support teams cannot afford downtime: reliability is our brand.", "Monthly uptime ≥ 99.95 % and Sev-1 incidents per quarter", GoalHorizon.MidTerm);
        product.AddGoal("Win the mid-market in Germany and France", "Expand beyond English-speaking markets with a localised product and partners.", "Qualified pipeline (EUR) in DACH and France", GoalHorizon.LongTerm);
        product.AddGoal("Reduce cost to serve by 20 %", "Keep gross margin healthy while we grow.", "Infrastructure and support cost per 1,000 tickets", GoalHorizon.MidTerm);
        var marketplace = product.AddGoal("Launch a partner app marketplace", "Let partners build and sell integrations.", "Partner apps live", GoalHorizon.LongTerm);
        marketplace.Retire("Deprioritised in the annual plan: partners prefer our open API.", now.AddDays(-35));
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);

        db.ProductManagers.Add(new ProductManagerAssignment(product.Id, users["Priya"].Id));
        var vision = new Vision(product.Id);
        db.Visions.Add(vision);
        await db.SaveChangesAsync(ct);

        const string first = """
            # Every customer conversation, resolved in one place

            Beacon helps growing B2B software companies give **fast, personal support at scale**.

            ## Who we serve
            - Support teams of 5–200 agents in B2B software companies
            - Support leads who need to prove the value of their team

            ## What we believe
            1. Customers should never repeat themselves.
            2. Agents should spend their time on problems, not on tools.
            """;
        var priya = users["Priya"];
        vision.Revise(first, priya.Id, priya.DisplayName, now.AddDays(-120), "First version for the annual plan.", null);
        await db.SaveChangesAsync(ct);
        vision.Revise(first.Replace("- Support leads who need to prove the value of their team", "- Support leads who need to prove the value of their team\n- Mid-market companies in Germany and France, in their own language", StringComparison.Ordinal)
            + "\n3. Reliability is a feature: support teams cannot work when we are down.\n\n## Where we are going\nBy the end of 2027, Beacon is the support platform mid-market software companies in Europe choose first — because new customers see value within a week and nobody churns for lack of insight.\n",
            priya.Id, priya.DisplayName, now.AddDays(-20), "Added European expansion and reliability after the strategy offsite.", first);
        await db.SaveChangesAsync(ct);
        return product;
    }

    private async Task<Dictionary<string, Team>> SeedTeamsAsync(Dictionary<string, ApplicationUser> users, Product product, CancellationToken ct)
    {
        var teams = new Dictionary<string, Team>
        {
            ["Onboarding"] = new("Onboarding", "Get every new customer to their first success in days, not weeks."),
            ["Platform"] = new("Platform", "Keep Beacon fast, reliable and affordable to run."),
            ["Growth"] = new("Growth", "Win new markets and help customers expand."),
            ["Insights"] = new("Insights", "Turn support data into decisions for our customers."),
        };
        db.Teams.AddRange(teams.Values);
        await db.SaveChangesAsync(ct);
        foreach (var (_, name, _, team) in Users)
        {
            if (team is not null)
            {
                teams[team].AddMember(users[name.Split(' ')[0]].Id, isLead: name.StartsWith("Tom", StringComparison.Ordinal) || name.StartsWith("Sam", StringComparison.Ordinal));
            }
        }

        await db.SaveChangesAsync(ct);
        return teams;
    }

    private async Task<Dictionary<string, KeyResult>> SeedOkrsAsync(Dictionary<string, ApplicationUser> users, Product product, Dictionary<string, Team> teams, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var current = Period.Containing(today);
        var (py, pq) = current.Quarter == 1 ? (current.Year - 1, 4) : (current.Year, current.Quarter - 1);
        var previous = Period.ForQuarter(py, pq);
        var (ny, nq) = current.Next();
        db.Periods.AddRange(previous, current, Period.ForQuarter(ny, nq));
        await db.SaveChangesAsync(ct);

        var goals = product.RankedGoals.ToList();
        var start = new DateTimeOffset(current.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var keyResults = new Dictionary<string, KeyResult>();

        Objective Add(string team, string title, int? goalRank, Objective? parent, string owner, params (string Key, KeyResultDefinition Definition)[] krs)
        {
            var objective = new Objective(teams[team].Id, current.Id, title, null, goalRank is { } r ? goals[r - 1].Id : null, parent?.Id,
                users[owner].Id, krs.Select(k => k.Definition).ToList(), start);
            db.Objectives.Add(objective);
            foreach (var (key, kr) in krs.Select(k => k.Key).Zip(objective.KeyResults))
            {
                keyResults[key] = kr;
            }

            return objective;
        }

        Add("Onboarding", "Make the first week effortless", 2, null, "Tom",
            ("days-to-value", new("Median days to first resolved ticket", MetricType.Number, MetricDirection.Decrease, 12, 6, Unit: "days", MetricName: "Days to first value")),
            ("wizard", new("Setup wizard completion rate", MetricType.Percent, MetricDirection.Increase, 45, 75)),
            ("zendesk-import", new("Guided import from Zendesk launched", MetricType.Milestone, MetricDirection.Increase, 0, 1)));
        Add("Onboarding", "Turn more trials into paying customers", 1, null, "Jonas",
            ("trial-conversion", new("Trial-to-paid conversion", MetricType.Percent, MetricDirection.Increase, 14, 20, Weight: 2)),
            ("trial-tickets", new("Support tickets per trial account", MetricType.Number, MetricDirection.Decrease, 5, 3, Unit: "tickets", MetricName: "Tickets per account")));
        Add("Platform", "Be the most reliable support platform", 3, null, "Sam",
            ("uptime", new("Monthly uptime", MetricType.Percent, MetricDirection.StayAbove, 99.9m, 99.95m)),
            ("latency", new("P95 API latency", MetricType.Number, MetricDirection.Decrease, 420, 250, Unit: "ms")),
            ("sev1", new("Sev-1 incidents this quarter", MetricType.Number, MetricDirection.StayBelow, 0, 1, Unit: "incidents")));
        Add("Platform", "Cut infrastructure cost per ticket", 5, null, "Sam",
            ("cost", new("Cost per 1,000 tickets", MetricType.Currency, MetricDirection.Decrease, 3.80m, 3.00m, CurrencyCode: "EUR")),
            ("db-cpu", new("Database CPU at peak", MetricType.Percent, MetricDirection.StayWithin, 55, 55, BandLow: 40, BandHigh: 70)));
        Add("Growth", "Open the German and French mid-market", 4, null, "Noah",
            ("pipeline", new("Qualified pipeline in DACH and France", MetricType.Currency, MetricDirection.Increase, 0, 1_200_000, CurrencyCode: "EUR", Weight: 2)),
            ("localised", new("Product available in German and French", MetricType.Boolean, MetricDirection.Increase, 0, 1)));
        var expansion = Add("Growth", "Grow expansion revenue", 1, null, "Noah",
            ("nrr", new("Net revenue retention", MetricType.Percent, MetricDirection.Increase, 104, 112, Weight: 2)),
            ("tickets-handled", new("Tickets handled per account", MetricType.Number, MetricDirection.Increase, 40, 55, Unit: "tickets", MetricName: "Tickets per account")));
        await db.SaveChangesAsync(ct);
        Add("Insights", "Show customers the value they get from Beacon", null, expansion, "Mia",
            ("roi-viewers", new("Accounts viewing the ROI report monthly", MetricType.Percent, MetricDirection.Increase, 10, 40)),
            ("report-load", new("Report load time", MetricType.Number, MetricDirection.Decrease, 6, 2, Unit: "s")));
        Add("Insights", "Self-serve analytics for support leads", 2, null, "Mia",
            ("dashboards", new("Dashboards created by customers", MetricType.Number, MetricDirection.Increase, 120, 400, Unit: "dashboards")));

        // Last quarter: closed objectives with a score.
        var closed = new Objective(teams["Onboarding"].Id, previous.Id, "Launch the new setup wizard", null, goals[1].Id, null, users["Tom"].Id,
            [new("Wizard available to all new accounts", MetricType.Milestone, MetricDirection.Increase, 0, 1)], start.AddMonths(-3));
        closed.Close(0.8m, "Shipped two weeks late; the data import step needs more work next quarter.");
        db.Objectives.Add(closed);
        await db.SaveChangesAsync(ct);

        SeedCheckIns(users, keyResults, start, now);
        await db.SaveChangesAsync(ct);
        return keyResults;
    }

    private static void SeedCheckIns(Dictionary<string, ApplicationUser> users, Dictionary<string, KeyResult> keyResults, DateTimeOffset start, DateTimeOffset now)
    {
        // Where each key result stands today as a share of the way from baseline to target, and its confidence.
        var trajectory = new Dictionary<string, (decimal Share, int Confidence, string Author, int SkipLastDays)>
        {
            ["days-to-value"] = (0.55m, 7, "Tom", 0),
            ["wizard"] = (0.4m, 6, "Tom", 0),
            ["zendesk-import"] = (0m, 5, "Jonas", 0),
            ["trial-conversion"] = (0.25m, 4, "Jonas", 0),
            ["trial-tickets"] = (0.5m, 7, "Jonas", 0),
            ["uptime"] = (1m, 8, "Sam", 0),
            ["latency"] = (0.7m, 8, "Sam", 0),
            ["sev1"] = (1m, 7, "Sam", 0),
            ["cost"] = (0.3m, 5, "Sam", 0),
            ["db-cpu"] = (1m, 8, "Sam", 0),
            ["pipeline"] = (0.35m, 6, "Noah", 0),
            ["localised"] = (0m, 3, "Noah", 0),
            ["nrr"] = (0.45m, 6, "Noah", 0),
            ["tickets-handled"] = (0.6m, 7, "Noah", 0),
            ["roi-viewers"] = (0.2m, 4, "Mia", 21),
            ["report-load"] = (0.1m, 3, "Mia", 21),
            ["dashboards"] = (0.5m, 6, "Mia", 0),
        };
        var notes = new[] { "Steady progress this week.", "Blocked on a dependency, recovering.", "Good results from the latest release.", "Numbers from the weekly report.", null };
        foreach (var (key, kr) in keyResults)
        {
            var (share, confidence, author, skipLastDays) = trajectory[key];
            var user = users[author];
            var weeks = Math.Max(1, (int)((now - start).TotalDays / 7));
            for (var week = 1; week <= weeks; week++)
            {
                var at = start.AddDays(week * 7).AddHours(9);
                if (at > now.AddDays(-skipLastDays))
                {
                    break;
                }

                var fraction = share * week / weeks;
                decimal value = kr.MetricType switch
                {
                    MetricType.Boolean or MetricType.Milestone => share >= 1m && week == weeks ? 1m : 0m,
                    _ when kr.Direction is MetricDirection.StayAbove => kr.Target + 0.01m * (week % 3),
                    _ when kr.Direction is MetricDirection.StayBelow => week % 4 == 0 ? 1m : 0m,
                    _ when kr.Direction is MetricDirection.StayWithin => 50m + (week % 3 * 5),
                    _ => Math.Round(kr.Baseline + ((kr.Target - kr.Baseline) * fraction), 2),
                };
                var weekConfidence = Math.Clamp(confidence + ((week % 3) - 1), 0, 10);
                kr.RecordCheckIn(value, weekConfidence, notes[(week + key.Length) % notes.Length], user.Id, user.DisplayName, at);
            }
        }
    }

    private async Task SeedRoadmapAsync(Dictionary<string, ApplicationUser> users, Product product, Dictionary<string, Team> teams,
        Dictionary<string, KeyResult> keyResults, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var current = Period.Containing(today);
        var (ny, nq) = current.Next();
        var nextKey = Period.ForQuarter(ny, nq).Key;
        var (ly, lq) = nq == 4 ? (ny + 1, 1) : (ny, nq + 1);
        var laterKey = Period.ForQuarter(ly, lq).Key;
        var retiredGoal = product.Goals.Single(g => g.Status == GoalStatus.Retired);
        var owners = new Dictionary<string, string[]> { ["Onboarding"] = ["Tom", "Jonas"], ["Platform"] = ["Sam"], ["Growth"] = ["Noah"], ["Insights"] = ["Mia"] };

        // team, title, horizon, status, effort, links ("kr:key", "goal:rank", "retired"), RICE reach/impact/confidence
        var rows = new (string Team, string Title, RoadmapHorizon Horizon, RoadmapItemStatus Status, decimal? Effort, string[] Links, int? Reach, decimal? Impact, int? Confidence)[]
        {
            ("Onboarding", "Guided Zendesk import", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 8, ["kr:zendesk-import", "kr:days-to-value"], 900, 3, 80),
            ("Onboarding", "Sample data workspace for trials", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 5, ["kr:days-to-value", "kr:trial-conversion"], 1500, 2, 80),
            ("Onboarding", "Setup checklist in the inbox", RoadmapHorizon.Now, RoadmapItemStatus.Shipped, 3, ["kr:wizard"], 1500, 1, 100),
            ("Onboarding", "Email channel auto-detection", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 3, ["kr:wizard"], 1200, 1, 80),
            ("Onboarding", "In-app onboarding tours", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 5, ["kr:wizard", "kr:trial-tickets"], 1500, 1, 50),
            ("Onboarding", "Trial health score for sales", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 5, ["kr:trial-conversion"], 600, 2, 50),
            ("Onboarding", "Freshdesk importer", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 8, ["kr:days-to-value"], 400, 2, 50),
            ("Onboarding", "Team invite by domain", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 2, ["kr:days-to-value"], 1500, 0.5m, 100),
            ("Onboarding", "Welcome video library", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 3, [], 1500, 0.25m, 50),
            ("Onboarding", "Trial extension self-service", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 2, ["kr:trial-conversion"], 300, 1, 80),
            ("Onboarding", "SSO during sign-up", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 5, ["goal:2"], 200, 1, 50),
            ("Onboarding", "Onboarding NPS survey", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 1, [], null, null, null),
            ("Onboarding", "Legacy wizard clean-up", RoadmapHorizon.Now, RoadmapItemStatus.Dropped, 2, [], null, null, null),
            ("Platform", "Multi-region failover", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 13, ["kr:uptime", "kr:sev1"], 5000, 3, 80),
            ("Platform", "Query cache for ticket lists", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 5, ["kr:latency", "kr:db-cpu"], 5000, 2, 80),
            ("Platform", "Move attachments to cold storage", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 5, ["kr:cost"], 5000, 1, 80),
            ("Platform", "Autoscaling for workers", RoadmapHorizon.Now, RoadmapItemStatus.Shipped, 8, ["kr:cost", "kr:db-cpu"], 5000, 1, 100),
            ("Platform", "Status page automation", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 3, ["kr:sev1"], 5000, 0.5m, 80),
            ("Platform", "Read replicas for reporting", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 8, ["kr:report-load", "kr:db-cpu"], 2000, 2, 50),
            ("Platform", "Chaos testing in staging", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 5, ["kr:sev1"], 5000, 1, 50),
            ("Platform", "Upgrade to PostgreSQL 17", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, [], null, null, null),
            ("Platform", "Kubernetes cost dashboards", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 3, ["kr:cost"], 20, 1, 80),
            ("Platform", "Rate limiting per API token", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 3, ["kr:uptime"], 5000, 1, 80),
            ("Platform", "Search index rebuild", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, ["kr:latency"], 5000, 1, 50),
            ("Platform", "Internal developer portal", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 5, [], null, null, null),
            ("Platform", "Partner app sandbox", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, ["retired"], 50, 1, 50),
            ("Growth", "German and French localisation", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 13, ["kr:localised", "kr:pipeline"], 800, 3, 80),
            ("Growth", "EU data residency", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 13, ["kr:pipeline"], 600, 3, 80),
            ("Growth", "Seat-based upgrade prompts", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 3, ["kr:nrr"], 3000, 1, 80),
            ("Growth", "Annual plan discounts", RoadmapHorizon.Now, RoadmapItemStatus.Shipped, 2, ["kr:nrr"], 3000, 1, 100),
            ("Growth", "Partner referral programme", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 5, ["kr:pipeline"], 300, 2, 50),
            ("Growth", "SEPA direct debit", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 3, ["kr:pipeline"], 600, 1, 80),
            ("Growth", "Usage-based add-ons", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 8, ["kr:nrr", "kr:tickets-handled"], 2000, 2, 50),
            ("Growth", "Account expansion playbooks", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 3, ["goal:1"], 1000, 1, 50),
            ("Growth", "GDPR-ready DPA generator", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 2, ["kr:pipeline"], 600, 1, 100),
            ("Growth", "Marketplace listing pages", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 5, ["retired"], null, null, null),
            ("Growth", "Pricing page experiments", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 2, [], 10000, 0.5m, 50),
            ("Growth", "Italian localisation", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, ["goal:4"], 300, 1, 50),
            ("Growth", "Reseller portal", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, [], null, null, null),
            ("Insights", "ROI report for support leads", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 8, ["kr:roi-viewers"], 2000, 3, 80),
            ("Insights", "Report builder v2", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 13, ["kr:dashboards", "kr:report-load"], 2000, 2, 80),
            ("Insights", "Scheduled report emails", RoadmapHorizon.Now, RoadmapItemStatus.Shipped, 3, ["kr:roi-viewers"], 2000, 1, 100),
            ("Insights", "CSAT trend widgets", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 3, ["kr:dashboards"], 2000, 1, 80),
            ("Insights", "Benchmark against peers", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 8, ["kr:roi-viewers"], 1500, 2, 50),
            ("Insights", "Dashboard templates gallery", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 3, ["kr:dashboards"], 2000, 1, 80),
            ("Insights", "Data export to BigQuery", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 5, [], 300, 1, 50),
            ("Insights", "AI summary of weekly trends", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, [], 2000, 2, 20),
            ("Insights", "Agent performance heatmap", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 5, ["goal:2"], 1000, 1, 50),
            ("Insights", "Report sharing links", RoadmapHorizon.Now, RoadmapItemStatus.InProgress, 2, ["kr:roi-viewers"], 2000, 1, 80),
            ("Insights", "Custom metrics API", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, ["goal:1"], 500, 2, 50),
            ("Onboarding", "Help-centre article suggestions", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 5, ["kr:trial-tickets"], 1500, 1, 50),
            ("Platform", "Background job dashboard", RoadmapHorizon.Next, RoadmapItemStatus.Idea, 2, [], null, null, null),
            ("Growth", "Customer advisory board", RoadmapHorizon.Next, RoadmapItemStatus.Planned, 2, ["goal:1"], 50, 1, 80),
            ("Insights", "Ticket tagging suggestions", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, ["kr:tickets-handled"], 2000, 1, 50),
            ("Platform", "Webhook delivery retries", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 3, ["kr:uptime"], 1000, 1, 80),
            ("Onboarding", "Mobile app onboarding", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 8, [], 500, 1, 20),
            ("Growth", "Case studies in German", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 1, ["kr:pipeline"], 800, 0.5m, 80),
            ("Insights", "Embedded analytics SDK", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 13, ["retired"], 100, 2, 20),
            ("Platform", "Audit log streaming", RoadmapHorizon.Later, RoadmapItemStatus.Idea, 5, ["goal:3"], 300, 1, 50),
            ("Onboarding", "Data import progress emails", RoadmapHorizon.Now, RoadmapItemStatus.Planned, 1, ["kr:zendesk-import"], 900, 0.5m, 100),
        };

        var positions = new Dictionary<RoadmapHorizon, int>();
        var items = new List<RoadmapItem>();
        var created = now.AddDays(-60);
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            var item = new RoadmapItem(product.Id, teams[row.Team].Id, row.Title,
                row.Effort >= 13 ? RoadmapItemKind.Initiative : RoadmapItemKind.Feature, row.Horizon, created.AddHours(index * 7));
            var teamOwners = owners[row.Team];
            item.Edit(row.Title, $"{row.Title} for Beacon customers.", item.Kind, teams[row.Team].Id, users[teamOwners[index % teamOwners.Length]].Id,
                string.Create(CultureInfo.InvariantCulture, $"BCN-{101 + index}"));
            var targetKey = row.Horizon switch { RoadmapHorizon.Now => current.Key, RoadmapHorizon.Next => nextKey, _ => laterKey };
            item.Schedule(row.Horizon, targetKey, null, null);
            positions[row.Horizon] = positions.GetValueOrDefault(row.Horizon) + 1;
            item.MoveOnBoard(row.Horizon, positions[row.Horizon] * 10);
            item.Estimate(row.Effort, row.Reach, row.Impact, row.Confidence);
            item.ChangeStatus(row.Status, now.AddDays(-(index % 20)));
            if (index % 7 == 0)
            {
                item.AddEvidence($"Customers asked for \"{row.Title}\" in {3 + (index % 5)} recent calls.", null, 1 + (index % 3), created);
            }

            items.Add(item);
        }

        db.RoadmapItems.AddRange(items);
        await db.SaveChangesAsync(ct);

        var goals = product.RankedGoals.ToList();
        foreach (var (row, item) in rows.Zip(items))
        {
            foreach (var link in row.Links)
            {
                _ = link.Split(':') switch
                {
                    ["kr", var key] => item.LinkTo(LinkTargetType.KeyResult, keyResults[key].Id),
                    ["goal", var rank] => item.LinkTo(LinkTargetType.Goal, goals[int.Parse(rank, CultureInfo.InvariantCulture) - 1].Id),
                    ["retired"] => item.LinkTo(LinkTargetType.Goal, retiredGoal.Id),
                    _ => throw new InvalidOperationException("Unknown demo link " + link),
                };
            }
        }

        // Dependencies, including one scheduled in the wrong order (a conflict the alignment page shows).
        var byTitle = items.ToDictionary(i => i.Title);
        var dependsOn = new Dictionary<int, List<int>>();
        void Depend(string item, string blocker)
        {
            byTitle[item].DependOn(byTitle[blocker], id => dependsOn.GetValueOrDefault(id) ?? []);
            (dependsOn.TryGetValue(byTitle[item].Id, out var list) ? list : dependsOn[byTitle[item].Id] = []).Add(byTitle[blocker].Id);
        }

        Depend("Sample data workspace for trials", "Guided Zendesk import");
        Depend("In-app onboarding tours", "Setup checklist in the inbox");
        Depend("Read replicas for reporting", "Query cache for ticket lists");
        Depend("Report builder v2", "Read replicas for reporting");
        Depend("EU data residency", "Multi-region failover");
        Depend("Case studies in German", "German and French localisation");
        Depend("Usage-based add-ons", "Seat-based upgrade prompts");
        Depend("Freshdesk importer", "Guided Zendesk import");
        Depend("Data import progress emails", "Guided Zendesk import");
        await db.SaveChangesAsync(ct);
    }
}

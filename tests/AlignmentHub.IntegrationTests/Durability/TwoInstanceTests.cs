using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Security checklist B.13 and issue 6 "several instances": two application hosts on one database (SQLite file, or
/// PostgreSQL when the suite runs on it) behave as one site. A browser whose requests alternate between them stays
/// signed in, a form from one posts to the other, a sign-out on one holds on the other, and a restarted host still
/// reads the cookies issued before (the key ring and the sessions live in the database, not in the process).
/// </summary>
/// <remarks>Each host is a separate <see cref="WebApplicationFactory{TEntryPoint}"/> host: own services, own key-ring cache, own memory caches.</remarks>
public sealed class TwoInstanceTests(AlignmentHubFactory database) : IClassFixture<AlignmentHubFactory>
{
    private static readonly Uri Site = new("http://localhost");

    [Fact]
    public async Task A_browser_switching_between_two_hosts_stays_signed_in_posts_forms_across_them_and_a_sign_out_holds_on_both()
    {
        using var hostA = NewHost(database);
        using var hostB = NewHost(database);
        var cookies = new CookieContainer();
        using var onA = Browser(hostA, cookies);
        using var onB = Browser(hostB, cookies);

        Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync(Demo.Admin)).StatusCode);

        // B accepts A's cookie.
        var home = await onB.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(Demo.DisplayName(Demo.Admin), home.Text, StringComparison.Ordinal);

        // A form rendered by A is accepted by B, and A shows what B saved (no host serves a stale copy from its memory).
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync($"/products/{Demo.ProductId}/goals")).StatusCode);
        var token = await onA.GetTokenAsync($"/products/{Demo.ProductId}/goals/new");
        var title = Demo.UniqueTitle("Made on B from a form of A");
        var save = await onB.PostWithTokenAsync($"/products/{Demo.ProductId}/goals/new", token, GoalFields(title));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Contains(title, (await onA.GetAsync($"/products/{Demo.ProductId}/goals")).Text, StringComparison.Ordinal);

        // Sign out on B; the cookie copied before is refused by A.
        var signedIn = cookies.GetCookieHeader(Site);
        Assert.Equal(HttpStatusCode.Redirect, (await onB.PostWithTokenAsync("/account/logout", await onB.GetTokenAsync("/"), [])).StatusCode);
        using var replay = Replaying(hostA, signedIn);
        var replayed = await replay.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/account/login", replayed.LocationPath);
    }

    [Fact]
    public async Task A_restarted_host_accepts_the_cookie_and_form_token_issued_before_and_all_hosts_share_one_key_ring_in_the_database()
    {
        string signedIn;
        string token;
        using (var hostA = NewHost(database))
        {
            var cookies = new CookieContainer();
            using var onA = Browser(hostA, cookies);
            Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync(Demo.ProductManager)).StatusCode);
            token = await onA.GetTokenAsync($"/products/{Demo.ProductId}/goals/new");
            signedIn = cookies.GetCookieHeader(Site);
        }

        // A new process in all but name: new services, nothing in memory from the first one.
        using var restarted = NewHost(database);
        using var client = Replaying(restarted, signedIn);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(Demo.DisplayName(Demo.ProductManager), home.Text, StringComparison.Ordinal);
        var title = Demo.UniqueTitle("Posted after a restart");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostWithTokenAsync($"/products/{Demo.ProductId}/goals/new", token, GoalFields(title))).StatusCode);

        // Every host started so far (the fixture's, A, the restarted A, and those of the other test) uses the one key
        // stored in the database; none made a ring of its own.
        var keys = await database.QueryAsync(db => db.DataProtectionKeys.AsNoTracking().ToListAsync());
        Assert.Single(keys);
    }

    [Fact]
    public async Task With_a_certificate_configured_the_stored_keys_are_encrypted_and_hosts_sharing_it_accept_each_others_cookies()
    {
        var folder = Directory.CreateTempSubdirectory("alignmenthub-dp-cert-");
        try
        {
            var path = Path.Combine(folder.FullName, "dataprotection.pfx");
            const string Password = "Test-Certificate-Password";
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=AlignmentHub Data Protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, Password));
            }

            await using var encrypted = new CertificateFactory(path, Password);
            using var hostA = NewHost(encrypted);
            using var hostB = NewHost(encrypted);
            var cookies = new CookieContainer();
            using var onA = Browser(hostA, cookies);
            using var onB = Browser(hostB, cookies);

            Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync(Demo.Member)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/")).StatusCode);

            // The key is stored encrypted: no master key in clear, an XML-Encryption element in its place.
            var keys = await encrypted.QueryAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
            var key = Assert.Single(keys);
            Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted", key, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);

            // A host without the certificate cannot read that key, so the same cookie means nothing to it.
            var signedIn = cookies.GetCookieHeader(Site);
            using var withoutCertificate = encrypted.WithWebHostBuilder(b => b.UseSetting("DataProtection:CertificatePath", string.Empty));
            using var stranger = Replaying(withoutCertificate, signedIn);
            var refused = await stranger.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal("/account/login", refused.LocationPath);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One more application host on <paramref name="database"/>'s database.</summary>
    private static WebApplicationFactory<Program> NewHost(AlignmentHubFactory database)
    {
        var host = database.WithWebHostBuilder(_ => { });
        _ = host.Server; // start it now, so hosts start one after another (each runs the start-up migration check)
        return host;
    }

    /// <summary>A browser on <paramref name="host"/> keeping its cookies in <paramref name="cookies"/> (shared between hosts, as behind a load balancer).</summary>
    private static TestClient Browser(WebApplicationFactory<Program> host, CookieContainer cookies) =>
        new(host.CreateDefaultClient(Site, new CookieContainerHandler(cookies)));

    /// <summary>A client that sends exactly this Cookie header with every request (a copied cookie).</summary>
    private static TestClient Replaying(WebApplicationFactory<Program> host, string cookieHeader)
    {
        var http = host.CreateDefaultClient(Site);
        http.DefaultRequestHeaders.Add("Cookie", cookieHeader);
        return new TestClient(http);
    }

    private static List<KeyValuePair<string, string>> GoalFields(string title) =>
        [new("Title", title), new("Description", "Saved across hosts."), new("SuccessMetric", "A metric"), new("Horizon", "MidTerm")];

    /// <summary>The application with its Data Protection keys encrypted with a certificate (every host of it).</summary>
    private sealed class CertificateFactory(string path, string password) : AlignmentHubFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("DataProtection:CertificatePath", path);
            builder.UseSetting("DataProtection:CertificatePassword", password);
        }
    }
}

using Governance.Api.Tests.Infrastructure;
using Governance.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Governance.Api.Tests.Hosting;

/// <summary>Tests that need hosts of their own: a restart, a log capture.</summary>
public sealed class RestartAndLoggingTests
{
    [Fact]
    public async Task ShouldReadAccountsBackAndHonourEarlierTokensAfterARestart()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = HostSettings.For(database);
        string token;
        await using (var first = new GovernanceHost(settings))
        {
            token = await first.NewTenantTokenAsync(ApiFixture.NewTenantId());
            (await first.GraphQLAsync(token, """mutation { registerAccount(input: {id: "acc-1", name: "Initech"}) { outcome } }""")).AssertNoErrors();
        }

        await using var second = new GovernanceHost(settings);
        // The token was issued by the first process: the second accepts it because the keys live in the data folder.
        var read = await second.GraphQLAsync(token, """{ account(id: "acc-1") { name } }""");

        read.AssertNoErrors();
        Assert.Equal("Initech", read.Data!["account"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldLogTenantAndRequestIdButNeverSecretsOrTokens()
    {
        await using var database = await TestDatabase.CreateAsync();
        var capture = new LogCapture();
        await using var host = new GovernanceHost(HostSettings.For(database) with
        {
            Services = services => services.AddSingleton<ILoggerProvider>(capture),
        });
        var tenantId = ApiFixture.NewTenantId();
        var (clientId, secret) = await host.CreateTenantAsync(tenantId);
        var token = await host.GetTokenAsync(clientId, secret);

        (await host.GraphQLAsync(token, "{ viewer { tenantId } }")).AssertNoErrors();

        var entries = capture.Entries.ToList();
        var answered = entries.Where(e => e.Message.StartsWith("GraphQL query", StringComparison.Ordinal) && e.Scope.GetValueOrDefault("TenantId") == tenantId).ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.Scope.GetValueOrDefault("RequestId")));
            Assert.Equal(clientId, e.Scope.GetValueOrDefault("Subject"));
        });
        Assert.DoesNotContain(entries, e => e.AllText.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.AllText.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.AllText.Contains(GovernanceHost.PlatformSecret, StringComparison.Ordinal));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Identity;
using Governance.Api.Tests.Infrastructure;
using Npgsql;

namespace Governance.Api.Tests.Users;

[Collection(ApiCollection.Name)]
public sealed class UserApiTests(ApiFixture fixture)
{
    private const string Password = "a-long-enough-password";
    private const string UserFields = "id username displayName roles createdAt disabled disabledAt";

    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldCreateAPersonWhoSignsInWithTheGrantedRoles()
    {
        var (tenantId, admin) = await NewTenantAsync();

        var created = await CreateUserAsync(admin, "Grace.Hopper", ["auditor", "executive"]);
        created.AssertNoErrors();
        var user = created.Data!["createUser"]!;
        Assert.Equal("Grace.Hopper", user["username"]!.GetValue<string>());
        Assert.Equal(["auditor", "executive"], Strings(user["roles"]));
        Assert.False(user["disabled"]!.GetValue<bool>());

        var token = await new CodeFlow(Host).SignInAsync(tenantId, "grace.hopper", Password);
        var viewer = await Host.GraphQLAsync(token, "{ viewer { subject tenantId roles } }");
        viewer.AssertNoErrors();
        Assert.Equal(user["id"]!.GetValue<string>(), viewer.Data!["viewer"]!["subject"]!.GetValue<string>());
        Assert.Equal(["auditor", "executive"], Strings(viewer.Data["viewer"]!["roles"]));

        var list = await Host.GraphQLAsync(admin, $"{{ users {{ {UserFields} }} }}");
        list.AssertNoErrors();
        Assert.Equal(["Grace.Hopper"], list.Data!["users"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
        var one = await Host.GraphQLAsync(admin, $"query($u: String!) {{ user(username: $u) {{ {UserFields} }} }}", new { u = "GRACE.HOPPER" });
        one.AssertNoErrors();
        Assert.Equal(user["id"]!.GetValue<string>(), one.Data!["user"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ada", "Ada", new[] { "auditor" }, "short", "input.initialPassword")]
    [InlineData("ada", "Ada", new[] { "platform-admin" }, Password, "input.roles[0]")]
    [InlineData("ada", "Ada", new[] { "auditor", "owner" }, Password, "input.roles[1]")]
    [InlineData("-ada", "Ada", new[] { "auditor" }, Password, "input.username")]
    [InlineData("ada", " ", new[] { "auditor" }, Password, "input.displayName")]
    public async Task ShouldRefuseAnInvalidNewPerson(string username, string displayName, string[] roles, string password, string field)
    {
        var (_, admin) = await NewTenantAsync();

        var response = await Host.GraphQLAsync(admin,
            "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
            new { input = new { username, displayName, roles, initialPassword = password } });

        Assert.Equal("INVALID_INPUT", response.FirstErrorCode);
        Assert.Equal(field, response.Errors[0]!["extensions"]!["data"]!["field"]!.GetValue<string>());
        var list = await Host.GraphQLAsync(admin, "{ users { id } }");
        Assert.Empty(list.Data!["users"]!.AsArray());
    }

    [Fact]
    public async Task ShouldAppendEveryChangeOfAPersonToTheTenantsAuditLog()
    {
        var (_, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();
        (await Host.GraphQLAsync(admin, "mutation { grantRoles(username: \"ada\", roles: [\"executive\"], reason: \"runs the EMEA portfolio\") { id } }")).AssertNoErrors();

        var log = await Host.GraphQLAsync(admin, "{ auditEntries(first: 50) { action subject reason before after } }");

        log.AssertNoErrors();
        var entries = log.Data!["auditEntries"]!.AsArray();
        var created = Assert.Single(entries, e => e!["action"]!.GetValue<string>() == "user.user_created");
        Assert.Equal("user:ada", created!["subject"]!.GetValue<string>());
        var granted = Assert.Single(entries, e => e!["action"]!.GetValue<string>() == "user.roles_granted");
        Assert.Equal("runs the EMEA portfolio", granted!["reason"]!.GetValue<string>());
        Assert.Contains("executive", granted["after"]!.ToJsonString());
        Assert.DoesNotContain("executive", granted["before"]!.ToJsonString());
        Assert.DoesNotContain(entries, e => e!.ToJsonString().Contains("password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ShouldAnswerConflictForATakenUsername()
    {
        var (_, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();

        var again = await CreateUserAsync(admin, "ADA", ["executive"]);

        Assert.Equal("CONFLICT", again.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldGrantAndRevokeRolesAndRecordEveryChange()
    {
        var (tenantId, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();

        var granted = await ChangeRolesAsync(admin, "grantRoles", "ada", ["data-owner", "auditor"], "owns the CRM data");
        granted.AssertNoErrors();
        Assert.Equal(["auditor", "data-owner"], Strings(granted.Data!["grantRoles"]!["roles"]));
        var revoked = await ChangeRolesAsync(admin, "revokeRoles", "ada", ["auditor"], "audit is done by the firm");
        revoked.AssertNoErrors();
        Assert.Equal(["data-owner"], Strings(revoked.Data!["revokeRoles"]!["roles"]));
        var unchanged = await ChangeRolesAsync(admin, "revokeRoles", "ada", ["auditor"], "again");
        unchanged.AssertNoErrors();

        var events = await EventsAsync(tenantId);
        Assert.Equal(["user_created", "roles_granted", "roles_revoked"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.StartsWith(tenantId + "-test-", e.Actor));
        Assert.Equal("owns the CRM data", events[1].Reason);
        Assert.Equal(["auditor"], Strings(JsonNode.Parse(events[1].Before!)!["roles"]));
        Assert.Equal(["auditor", "data-owner"], Strings(JsonNode.Parse(events[1].After)!["roles"]));
        Assert.DoesNotContain("password", events[0].After, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ShouldRefuseAnUnknownOrPlatformRoleOnGrant()
    {
        var (_, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();

        var platform = await ChangeRolesAsync(admin, "grantRoles", "ada", ["platform-admin"], "why not");
        var none = await ChangeRolesAsync(admin, "grantRoles", "ada", [], "nothing");
        var noReason = await ChangeRolesAsync(admin, "grantRoles", "ada", ["executive"], " ");

        Assert.Equal("INVALID_INPUT", platform.FirstErrorCode);
        Assert.Equal("INVALID_INPUT", none.FirstErrorCode);
        Assert.Equal("INVALID_INPUT", noReason.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldRefuseToRemoveTheLastTenantAdmin()
    {
        var (tenantId, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["tenant-admin"])).AssertNoErrors();
        var ada = await new CodeFlow(Host).SignInAsync(tenantId, "ada", Password);

        var revokeOwn = await ChangeRolesAsync(ada, "revokeRoles", "ada", ["tenant-admin"], "stepping down");
        var disableOwn = await DisableAsync(ada, "ada", "leaving");

        Assert.Equal("CONFLICT", revokeOwn.FirstErrorCode);
        Assert.Equal("CONFLICT", disableOwn.FirstErrorCode);
        (await CreateUserAsync(ada, "bob", ["tenant-admin"])).AssertNoErrors();
        var nowAllowed = await ChangeRolesAsync(ada, "revokeRoles", "ada", ["tenant-admin"], "bob takes over");
        nowAllowed.AssertNoErrors();
        Assert.Empty(nowAllowed.Data!["revokeRoles"]!["roles"]!.AsArray());
        var bobAlone = await ChangeRolesAsync(admin, "revokeRoles", "bob", ["tenant-admin"], "by another admin");
        Assert.Equal("CONFLICT", bobAlone.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldStopADisabledPersonSigningInOrRedeemingACode()
    {
        var (tenantId, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();
        var flow = new CodeFlow(Host);
        var code = await flow.SignInForCodeAsync(tenantId, "ada", Password);

        var disabled = await DisableAsync(admin, "ada", "left the company");

        disabled.AssertNoErrors();
        Assert.True(disabled.Data!["disableUser"]!["disabled"]!.GetValue<bool>());
        Assert.NotNull(disabled.Data["disableUser"]!["disabledAt"]);
        var (status, body) = await flow.RedeemAsync(code);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        using var browser = new Browser(Host);
        using var signIn = await browser.SignInAsync(tenantId, "ada", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("Unknown organisation, username or password.", await signIn.Content.ReadAsStringAsync());
        Assert.Equal(["user_created", "user_disabled"], (await EventsAsync(tenantId)).Select(e => e.Action));
    }

    [Fact]
    public async Task ShouldCreateAnIntegrationClientWhoseSecretWorksOnce()
    {
        var (tenantId, admin) = await NewTenantAsync();

        var created = await Host.GraphQLAsync(admin, "mutation { createIntegrationClient(name: \"Billing system\") { clientId clientSecret } }");

        created.AssertNoErrors();
        var client = created.Data!["createIntegrationClient"]!;
        var token = await Host.GetTokenAsync(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
        var viewer = await Host.GraphQLAsync(token, "{ viewer { tenantId roles } }");
        Assert.Equal(tenantId, viewer.Data!["viewer"]!["tenantId"]!.GetValue<string>());
        Assert.Equal(["integration"], Strings(viewer.Data["viewer"]!["roles"]));
        var events = await EventsAsync(tenantId);
        Assert.Equal("client_created", Assert.Single(events).Action);
    }

    [Fact]
    public async Task ShouldNeitherShowNorChangeAnotherTenantsPeople()
    {
        var (_, adminA) = await NewTenantAsync();
        var (tenantB, adminB) = await NewTenantAsync();
        (await CreateUserAsync(adminA, "ada", ["tenant-admin", "auditor"])).AssertNoErrors();

        var list = await Host.GraphQLAsync(adminB, "{ users { username } }");
        var one = await Host.GraphQLAsync(adminB, "{ user(username: \"ada\") { id } }");
        var grant = await ChangeRolesAsync(adminB, "grantRoles", "ada", ["executive"], "cross-tenant");
        var revoke = await ChangeRolesAsync(adminB, "revokeRoles", "ada", ["auditor"], "cross-tenant");
        var disable = await DisableAsync(adminB, "ada", "cross-tenant");

        Assert.Empty(list.Data!["users"]!.AsArray());
        Assert.Equal("NOT_FOUND", one.FirstErrorCode);
        Assert.Equal("NOT_FOUND", grant.FirstErrorCode);
        Assert.Equal("NOT_FOUND", revoke.FirstErrorCode);
        Assert.Equal("NOT_FOUND", disable.FirstErrorCode);
        Assert.Empty(await EventsAsync(tenantB));
        var unchanged = await Host.GraphQLAsync(adminA, "{ user(username: \"ada\") { roles disabled } }");
        Assert.Equal(["tenant-admin", "auditor"], Strings(unchanged.Data!["user"]!["roles"]));
        Assert.False(unchanged.Data["user"]!["disabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ShouldLetAnAuditorSeeWhoHoldsWhichRoleButChangeNothing()
    {
        var (tenantId, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["committee-member"])).AssertNoErrors();
        var auditor = await Host.NewRoleTokenAsync(tenantId, Roles.Auditor);

        var list = await Host.GraphQLAsync(auditor, $"{{ users {{ {UserFields} }} }}");
        var one = await Host.GraphQLAsync(auditor, "{ user(username: \"ADA\") { username roles } }");
        var grant = await ChangeRolesAsync(auditor, "grantRoles", "ada", ["tenant-admin"], "self-service");
        var create = await CreateUserAsync(auditor, "eve", ["auditor"]);

        list.AssertNoErrors();
        Assert.Equal(["ada"], list.Data!["users"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
        one.AssertNoErrors();
        Assert.Equal(["committee-member"], Strings(one.Data!["user"]!["roles"]));
        Assert.Equal("ACCESS_DENIED", grant.FirstErrorCode);
        Assert.Equal("ACCESS_DENIED", create.FirstErrorCode);
        Assert.Equal(["user_created"], (await EventsAsync(tenantId)).Select(e => e.Action));

        // An auditor of another tenant sees none of these people.
        var (otherTenant, _) = await NewTenantAsync();
        var otherAuditor = await Host.NewRoleTokenAsync(otherTenant, Roles.Auditor);
        var foreignList = await Host.GraphQLAsync(otherAuditor, "{ users { username } }");
        var foreignOne = await Host.GraphQLAsync(otherAuditor, "{ user(username: \"ada\") { id } }");
        Assert.Empty(foreignList.Data!["users"]!.AsArray());
        Assert.Equal("NOT_FOUND", foreignOne.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldKeepTheRecordAppendOnly()
    {
        var (tenantId, admin) = await NewTenantAsync();
        (await CreateUserAsync(admin, "ada", ["auditor"])).AssertNoErrors();

        await using var connection = fixture.Database.Open();
        await using var update = new NpgsqlCommand("update user_events set reason = 'edited' where tenant_id = $1", connection);
        update.Parameters.Add(new() { Value = tenantId });
        await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        await using var delete = new NpgsqlCommand("delete from user_events where tenant_id = $1", connection);
        delete.Parameters.Add(new() { Value = tenantId });
        await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
    }

    private async Task<(string TenantId, string AdminToken)> NewTenantAsync()
    {
        var tenantId = ApiFixture.NewTenantId("u");
        await Host.CreateTenantAsync(tenantId);
        return (tenantId, await Host.NewRoleTokenAsync(tenantId, Roles.TenantAdmin));
    }

    private Task<GraphQLResponse> CreateUserAsync(string token, string username, string[] roles) =>
        Host.GraphQLAsync(token, $"mutation($input: CreateUserInput!) {{ createUser(input: $input) {{ {UserFields} }} }}",
            new { input = new { username, displayName = $"{username} (test)", roles, initialPassword = Password } });

    private Task<GraphQLResponse> ChangeRolesAsync(string token, string mutation, string username, string[] roles, string reason) =>
        Host.GraphQLAsync(token, $"mutation($u: String!, $r: [String!]!, $why: String!) {{ {mutation}(username: $u, roles: $r, reason: $why) {{ {UserFields} }} }}",
            new { u = username, r = roles, why = reason });

    private Task<GraphQLResponse> DisableAsync(string token, string username, string reason) =>
        Host.GraphQLAsync(token, $"mutation($u: String!, $why: String!) {{ disableUser(username: $u, reason: $why) {{ {UserFields} }} }}",
            new { u = username, why = reason });

    private sealed record Event(string Action, string Actor, string? Reason, string? Before, string After);

    private async Task<List<Event>> EventsAsync(string tenantId)
    {
        await using var connection = fixture.Database.Open();
        await using var command = new NpgsqlCommand(
            "select action, actor, reason, before::text, after::text from user_events where tenant_id = $1 order by seq", connection);
        command.Parameters.Add(new() { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<Event>();
        while (await reader.ReadAsync())
        {
            events.Add(new Event(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
        }

        return events;
    }

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}

using System.Net;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Accounts;

[Collection(ApiCollection.Name)]
public sealed class AccountApiTests(ApiFixture fixture)
{
    private const string Register = """
        mutation($input: RegisterAccountInput!) {
          registerAccount(input: $input) { outcome account { id name segment registeredBy registeredAt } }
        }
        """;

    private const string Read = "query($id: ID!) { account(id: $id) { id name segment } }";

    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldRegisterAnAccountAndReadItBack()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var registered = await Host.GraphQLAsync(token, Register, new { input = new { id = "acc-1", name = "Initech", segment = "enterprise" } });
        registered.AssertNoErrors();
        Assert.Equal("CREATED", registered.Data!["registerAccount"]!["outcome"]!.GetValue<string>());

        var read = await Host.GraphQLAsync(token, Read, new { id = "acc-1" });
        read.AssertNoErrors();
        Assert.Equal("Initech", read.Data!["account"]!["name"]!.GetValue<string>());
        Assert.Equal("enterprise", read.Data["account"]!["segment"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldReportTheSameRegistrationTwiceAsAlreadyRegistered()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        var input = new { input = new { id = "acc-1", name = "Initech" } };

        (await Host.GraphQLAsync(token, Register, input)).AssertNoErrors();
        var again = await Host.GraphQLAsync(token, Register, input);

        again.AssertNoErrors();
        Assert.Equal("ALREADY_REGISTERED", again.Data!["registerAccount"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldRefuseOtherDetailsForAnExistingAccountAndKeepTheOriginal()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        (await Host.GraphQLAsync(token, Register, new { input = new { id = "acc-1", name = "Initech" } })).AssertNoErrors();

        var conflict = await Host.GraphQLAsync(token, Register, new { input = new { id = "acc-1", name = "Globex" } });

        Assert.Equal("CONFLICT", conflict.FirstErrorCode);
        var read = await Host.GraphQLAsync(token, Read, new { id = "acc-1" });
        Assert.Equal("Initech", read.Data!["account"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "Initech", "input.id")]
    [InlineData("acc-1", "   ", "input.name")]
    public async Task ShouldNameTheFieldOfInvalidInputAndWriteNothing(string id, string name, string field)
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var response = await Host.GraphQLAsync(token, Register, new { input = new { id, name } });

        Assert.Equal("INVALID_INPUT", response.FirstErrorCode);
        Assert.Equal(field, response.Errors[0]!["extensions"]!["data"]!["field"]!.GetValue<string>());
        Assert.StartsWith(field, response.Errors[0]!["message"]!.GetValue<string>());
        if (id.Length > 0)
        {
            var read = await Host.GraphQLAsync(token, Read, new { id });
            Assert.Equal("NOT_FOUND", read.FirstErrorCode);
        }
    }

    [Fact]
    public async Task ShouldRejectAMissingRequiredInputFieldBeforeExecution()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var response = await Host.GraphQLAsync(token, Register, new { input = new { id = "acc-1" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("name", response.Errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldAnswerNotFoundForAnAccountThatDoesNotExist()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var read = await Host.GraphQLAsync(token, Read, new { id = "nobody" });

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Null(read.Data!["account"]);
        Assert.Equal("NOT_FOUND", read.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldNotLetASecondTenantSeeOrChangeTheFirstTenantsAccount()
    {
        var first = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId("a"));
        var second = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId("b"));
        (await Host.GraphQLAsync(first, Register, new { input = new { id = "shared-id", name = "First's customer" } })).AssertNoErrors();

        var seen = await Host.GraphQLAsync(second, Read, new { id = "shared-id" });
        var missing = await Host.GraphQLAsync(second, Read, new { id = "never-registered" });

        // The same answer as for an id nobody has: nothing says the first tenant holds it.
        Assert.Null(seen.Data!["account"]);
        Assert.Equal("NOT_FOUND", seen.FirstErrorCode);
        Assert.Equal(
            missing.Errors[0]!["message"]!.GetValue<string>().Replace("never-registered", "shared-id", StringComparison.Ordinal),
            seen.Errors[0]!["message"]!.GetValue<string>());

        // The second tenant's registration of the same id is its own account; the first's is untouched.
        var own = await Host.GraphQLAsync(second, Register, new { input = new { id = "shared-id", name = "Second's customer" } });
        own.AssertNoErrors();
        Assert.Equal("CREATED", own.Data!["registerAccount"]!["outcome"]!.GetValue<string>());
        var firstView = await Host.GraphQLAsync(first, Read, new { id = "shared-id" });
        Assert.Equal("First's customer", firstView.Data!["account"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldTakeTheTenantFromTheTokenNotFromTheQuery()
    {
        var tenantId = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenantId);

        var viewer = await Host.GraphQLAsync(token, "{ viewer { tenantId roles } tenant { id } }");

        viewer.AssertNoErrors();
        Assert.Equal(tenantId, viewer.Data!["viewer"]!["tenantId"]!.GetValue<string>());
        Assert.Equal(tenantId, viewer.Data["tenant"]!["id"]!.GetValue<string>());
        Assert.Equal("integration", viewer.Data["viewer"]!["roles"]![0]!.GetValue<string>());
    }
}

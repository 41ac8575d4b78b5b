using System.Security.Claims;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Http;

/// <summary>The authorization rule on a schema of its own, so every kind of declaration is exercised.</summary>
public sealed class RoleAuthorizationRuleTests
{
    private sealed class Query : ObjectGraphType
    {
        public Query()
        {
            Name = "Query";
            Field<StringGraphType>("undeclared").Resolve(_ => "leak");
            Field<StringGraphType>("signedIn").Authorize().Resolve(_ => "ok");
            Field<StringGraphType>("auditorsByRole").AuthorizeWithRoles("auditor").Resolve(_ => "ok");
            Field<StringGraphType>("auditorsByPolicy").AuthorizeWithPolicy("AuditorsOnly").Resolve(_ => "ok");
            Field<NonNullGraphType<Nested>>("nested").Authorize().Resolve(_ => new object());
        }
    }

    private sealed class Nested : ObjectGraphType
    {
        public Nested()
        {
            Name = "Nested";
            Field<StringGraphType>("open").Resolve(_ => "ok");
            Field<StringGraphType>("adminsOnly").AuthorizeWithRoles("tenant-admin").Resolve(_ => "ok");
        }
    }

    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddAuthorization(o => o.AddPolicy("AuditorsOnly", p => p.RequireClaim("role", "auditor")))
        .BuildServiceProvider();

    private static ClaimsPrincipal User(params string[] roles) =>
        new(new ClaimsIdentity(roles.Select(r => new Claim("role", r)).Append(new Claim("sub", "u")), "test", "name", "role"));

    private static async Task<ExecutionResult> RunAsync(string query, ClaimsPrincipal user) =>
        await new DocumentExecuter().ExecuteAsync(options =>
        {
            options.Schema = new Schema { Query = new Query() };
            options.Query = query;
            options.User = user;
            options.RequestServices = Services;
            options.ValidationRules = DocumentValidator.CoreRules.Append(new RoleAuthorizationRule());
        });

    private static string? Code(ExecutionResult result) => result.Errors?.FirstOrDefault()?.Code;

    [Fact]
    public async Task ShouldRefuseARootFieldThatDeclaresNothing()
    {
        var result = await RunAsync("{ undeclared }", User("tenant-admin"));

        Assert.Equal(ErrorCodes.AccessDenied, Code(result));
        Assert.False(result.Executed);
    }

    [Fact]
    public async Task ShouldRefuseAnAnonymousCaller()
    {
        var result = await RunAsync("{ signedIn }", new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.Equal(ErrorCodes.Unauthenticated, Code(result));
    }

    [Theory]
    [InlineData("{ auditorsByRole }", "auditor", true)]
    [InlineData("{ auditorsByRole }", "executive", false)]
    [InlineData("{ auditorsByPolicy }", "auditor", true)]
    [InlineData("{ auditorsByPolicy }", "executive", false)]
    [InlineData("{ nested { open } }", "executive", true)]
    [InlineData("{ nested { adminsOnly } }", "executive", false)]
    [InlineData("{ nested { adminsOnly } }", "tenant-admin", true)]
    public async Task ShouldAllowOnlyWhatTheDeclarationAllows(string query, string role, bool allowed)
    {
        var result = await RunAsync(query, User(role));

        Assert.Equal(allowed, result.Errors is null or { Count: 0 });
        if (!allowed)
        {
            Assert.Equal(ErrorCodes.AccessDenied, Code(result));
        }
    }

    [Fact]
    public async Task ShouldCheckFieldsReachedThroughFragments()
    {
        var result = await RunAsync("{ ...f } fragment f on Query { auditorsByRole }", User("executive"));

        Assert.Equal(ErrorCodes.AccessDenied, Code(result));
    }
}

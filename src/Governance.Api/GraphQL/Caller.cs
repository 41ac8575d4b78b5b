using System.Security.Claims;
using Governance.Api.Identity;
using GraphQL;

namespace Governance.Api.GraphQL;

/// <summary>Who is calling, as the token says. The tenant here is the only tenant a resolver may touch.</summary>
public sealed record Caller(string Subject, string TenantId)
{
    public static Caller From(ClaimsPrincipal? user)
    {
        var subject = user?.FindFirst(GovernanceClaims.Subject)?.Value;
        var tenant = user?.FindFirst(GovernanceClaims.Tenant)?.Value;
        return subject is null || tenant is null
            ? throw new ExecutionError("The token names no tenant.") { Code = ErrorCodes.Unauthenticated }
            : new Caller(subject, tenant);
    }
}

public static class CallerExtensions
{
    public static Caller Caller(this IResolveFieldContext context) => GraphQL.Caller.From(context.User);
}

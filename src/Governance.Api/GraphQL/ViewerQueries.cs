using System.Security.Claims;
using Governance.Api.Identity;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.GraphQL;

public sealed record Viewer(string Subject, string TenantId, IReadOnlyList<string> Roles);

public sealed class ViewerType : ObjectGraphType<Viewer>
{
    public ViewerType()
    {
        Name = "Viewer";
        Description = "The caller, as their token describes them.";
        Field(v => v.Subject).Description("Subject of the token: a user id or a client id.");
        Field(v => v.TenantId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The tenant every read and write of this caller is scoped to.");
        Field(v => v.Roles).Description("Roles within that tenant.");
        Field<IdGraphType>("executiveId")
            .Description("The executive a tenant admin linked this person to (linkExecutive): whose scorecard is theirs. Null for clients and unlinked people.")
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<Governance.Storage.Tenants.ExecutiveLinkStore>()
                .ExecutiveOfSubjectAsync(context.Source.TenantId, context.Source.Subject, context.CancellationToken));
    }
}

public static class ViewerQueries
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ViewerType>>("viewer")
            .Description("Who the access token says the caller is.")
            .Authorize()
            .Resolve(context =>
            {
                var caller = context.Caller();
                var roles = context.User!.FindAll(GovernanceClaims.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
                return new Viewer(caller.Subject, caller.TenantId, roles);
            });
}

using Governance.Abstractions.Security;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Authorization;

namespace Governance.Api.GraphQL;

/// <summary>
/// Enforces the authorization metadata of the schema (GraphQL.NET core records it; the rule that
/// enforces it lives in the server package we cannot use). Every root field must declare what it
/// needs — roles via <c>AuthorizeWithRoles</c>, an ASP.NET Core policy via <c>AuthorizeWithPolicy</c>
/// (evaluated with <see cref="IAuthorizationService"/>), or any signed-in caller via <c>Authorize</c>; a
/// root field that declares nothing is refused, so a forgotten declaration fails closed. Fields below
/// the root inherit the root's decision unless they declare requirements of their own. Requirements are
/// read from fields only, never from types: declare them where the field is defined.
/// </summary>
public sealed class RoleAuthorizationRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>(enter: CheckAsync));

    private static async ValueTask CheckAsync(GraphQLField node, ValidationContext context)
    {
        var field = context.TypeInfo.GetFieldDef();
        if (field is null || field.Name.StartsWith("__", StringComparison.Ordinal))
        {
            return; // unknown fields are reported by the core rules; introspection needs only a signed-in caller
        }

        var parent = context.TypeInfo.GetParentType();
        var isRoot = parent == context.Schema.Query || parent == context.Schema.Mutation || parent == context.Schema.Subscription;
        var roles = field.GetRoles();
        var policies = field.GetPolicies();
        if (roles is null && !field.IsAuthorizationRequired())
        {
            if (isRoot)
            {
                context.ReportError(Denied(context, node, ErrorCodes.AccessDenied, $"Field '{field.Name}' declares no access requirement and is refused."));
            }

            return;
        }

        if (context.User?.Identity?.IsAuthenticated != true)
        {
            context.ReportError(Denied(context, node, ErrorCodes.Unauthenticated, $"Field '{field.Name}' requires a signed-in caller."));
            return;
        }

        if (roles is not null && !roles.Any(context.User.IsInRole))
        {
            context.ReportError(Denied(context, node, ErrorCodes.AccessDenied,
                $"Field '{field.Name}' requires one of the roles: {string.Join(", ", roles)}."));
            return;
        }

        if (policies is not null)
        {
            var authorization = context.RequestServices!.GetRequiredService<IAuthorizationService>();
            foreach (var policy in policies)
            {
                if (!(await authorization.AuthorizeAsync(context.User, policy)).Succeeded)
                {
                    context.ReportError(Denied(context, node, ErrorCodes.AccessDenied, $"Field '{field.Name}' requires policy '{policy}'."));
                    return;
                }
            }
        }
    }

    private static ValidationError Denied(ValidationContext context, ASTNode node, string code, string message) =>
        new(context.Document.Source, code, message, node) { Code = code };
}

/// <summary>Declarations used by the schema, so a field's requirement reads as a sentence.</summary>
public static class FieldAccess
{
    /// <summary>Every role of a customer tenant (not platform operators).</summary>
    public static TMetadataProvider RequireTenantRole<TMetadataProvider>(this TMetadataProvider provider)
        where TMetadataProvider : IMetadataWriter =>
        provider.AuthorizeWithRoles([.. Roles.TenantRoles]);

    public static TMetadataProvider RequireRoles<TMetadataProvider>(this TMetadataProvider provider, params string[] roles)
        where TMetadataProvider : IMetadataWriter =>
        provider.AuthorizeWithRoles(roles);
}

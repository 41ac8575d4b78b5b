using System.Security.Claims;
using OpenIddict.Abstractions;

namespace Governance.Api.Identity;

/// <summary>The claims our tokens carry. The tenant claim is the only source of a caller's tenant.</summary>
public static class GovernanceClaims
{
    public const string Tenant = "tenant";
    public const string Subject = OpenIddictConstants.Claims.Subject;
    public const string Role = OpenIddictConstants.Claims.Role;
    public const string Name = OpenIddictConstants.Claims.Name;

    /// <summary>An identity whose <see cref="ClaimsPrincipal.IsInRole"/> reads our role claim.</summary>
    public static ClaimsIdentity NewIdentity(string authenticationType, string subject, string tenantId, IEnumerable<string> roles, string? name = null)
    {
        var identity = new ClaimsIdentity(authenticationType, Name, Role);
        identity.AddClaim(new Claim(Subject, subject));
        identity.AddClaim(new Claim(Tenant, tenantId));
        if (name is not null)
        {
            identity.AddClaim(new Claim(Name, name));
        }

        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(Role, role));
        }

        return identity;
    }
}

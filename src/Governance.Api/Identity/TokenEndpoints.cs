using System.Security.Claims;
using Governance.Storage.Tenants;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Governance.Api.Identity;

/// <summary>
/// The token and authorization endpoints. OpenIddict has already validated the protocol (client
/// secret, PKCE, redirect URI) when these run; they decide who the token is for: tenant and roles.
/// </summary>
public static class TokenEndpoints
{
    private const string ServerScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(TokenServerSetup.TokenPath, IssueTokenAsync).ExcludeFromDescription();
        endpoints.MapMethods(TokenServerSetup.AuthorizePath, ["GET", "POST"], AuthorizeAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext context, TenantStore tenants)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            var client = await tenants.FindClientAsync(request.ClientId!, context.RequestAborted);
            if (client is null)
            {
                return Forbid(Errors.InvalidClient, "The client is not attached to a tenant.");
            }

            var identity = GovernanceClaims.NewIdentity(ServerScheme, client.ClientId, client.TenantId, client.Roles);
            return SignIn(identity, request.GetScopes());
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(ServerScheme);
            var principal = result.Principal;
            var tenantId = principal?.FindFirst(GovernanceClaims.Tenant)?.Value;
            var subject = principal?.FindFirst(GovernanceClaims.Subject)?.Value;
            if (tenantId is null || !Guid.TryParse(subject, out var userId))
            {
                return Forbid(Errors.InvalidGrant, "The grant does not name a user.");
            }

            // Roles are read again so a revoked role, a disabled or removed user takes effect at the next refresh.
            var user = await tenants.FindUserByIdAsync(tenantId, userId, context.RequestAborted);
            if (user is null || user.IsDisabled)
            {
                return Forbid(Errors.InvalidGrant, "The user no longer exists or is disabled.");
            }

            var identity = GovernanceClaims.NewIdentity(ServerScheme, subject!, tenantId, user.Roles, user.DisplayName);
            return SignIn(identity, principal!.GetScopes());
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, TenantStore tenants)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var signIn = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!signIn.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this very request once the person has signed in.
            var query = context.Request.HasFormContentType ? QueryString.Create(context.Request.Form) : context.Request.QueryString;
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + query },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var tenantId = signIn.Principal.FindFirst(GovernanceClaims.Tenant)!.Value;
        var userId = Guid.Parse(signIn.Principal.FindFirst(GovernanceClaims.Subject)!.Value);
        var user = await tenants.FindUserByIdAsync(tenantId, userId, context.RequestAborted);
        if (user is null || user.IsDisabled)
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Forbid(Errors.AccessDenied, "The user no longer exists or is disabled.");
        }

        var identity = GovernanceClaims.NewIdentity(ServerScheme, user.UserId.ToString(), tenantId, user.Roles, user.DisplayName);
        return SignIn(identity, request.GetScopes());
    }

    private static IResult SignIn(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            // Everything the API needs rides in the access token; the id token gets identity claims only.
            GovernanceClaims.Name or GovernanceClaims.Subject or GovernanceClaims.Tenant or GovernanceClaims.Role
                => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, ServerScheme);
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [ServerScheme]);
}

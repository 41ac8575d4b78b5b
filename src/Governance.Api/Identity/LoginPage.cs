using System.Net;
using System.Security.Claims;
using Governance.Storage.Tenants;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Governance.Api.Identity;

/// <summary>
/// The minimal sign-in page people reach from the authorization endpoint (code + PKCE). A person
/// names their organisation (tenant), username and password; the answer to a wrong one never says which part was wrong.
/// </summary>
public static class LoginPage
{
    public static IEndpointRouteBuilder MapLoginPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(TokenServerSetup.LoginPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, returnUrl, tenant: "", username: "", error: null, StatusCodes.Status200OK)).ExcludeFromDescription();
        endpoints.MapPost(TokenServerSetup.LoginPath, SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(TokenServerSetup.LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(TokenServerSetup.LoginPath);
        }).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, TenantStore tenants, IPasswordHasher<PasswordOwner> hasher)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest("The form has expired; reload the sign-in page.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string tenantId = form["tenant"].ToString().Trim().ToLowerInvariant();
        string username = form["username"].ToString().Trim();
        string password = form["password"].ToString();
        string returnUrl = form["returnUrl"].ToString();

        var user = tenantId.Length > 0 && username.Length > 0
            ? await tenants.FindUserAsync(tenantId, username, context.RequestAborted)
            : null;
        // A disabled person gets the same answer as a wrong password: the page tells nobody who exists.
        var verified = user is { IsDisabled: false }
            && hasher.VerifyHashedPassword(new PasswordOwner(), user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (!verified)
        {
            return Page(context, antiforgery, returnUrl, tenantId, username, "Unknown organisation, username or password.", StatusCodes.Status401Unauthorized);
        }

        var identity = GovernanceClaims.NewIdentity(CookieAuthenticationDefaults.AuthenticationScheme,
            user!.UserId.ToString(), user.TenantId, user.Roles, user.DisplayName);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    // Only same-site paths: an open redirect here would hand authorization codes to anyone.
    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string tenant, string username, string? error, int statusCode)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var message = error is null ? "" : $"""<p role="alert" class="error">{E(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · Governance</title>
              <style>
                body {"{"} font-family: system-ui, sans-serif; max-width: 22rem; margin: 4rem auto; padding: 0 1rem; {"}"}
                label {"{"} display: block; margin-top: 1rem; {"}"}
                input {"{"} width: 100%; padding: .4rem; box-sizing: border-box; {"}"}
                button {"{"} margin-top: 1.5rem; padding: .5rem 1.5rem; {"}"}
                .error {"{"} color: #a00; {"}"}
              </style>
            </head>
            <body>
              <main>
                <h1>Sign in to Governance</h1>
                {message}
                <form method="post" action="{TokenServerSetup.LoginPath}">
                  <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
                  <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
                  <label for="tenant">Organisation</label>
                  <input id="tenant" name="tenant" autocomplete="organization" required value="{E(tenant)}">
                  <label for="username">Username</label>
                  <input id="username" name="username" autocomplete="username" required value="{E(username)}">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
              </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html", System.Text.Encoding.UTF8, statusCode);
    }
}

using System.Security.Cryptography.X509Certificates;
using Governance.Api.Hosting;
using Governance.Storage.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Governance.Api.Identity;

public static class TokenServerSetup
{
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    /// <summary>Scope a client asks for to act on the Governance API.</summary>
    public const string ApiScope = "governance";

    /// <summary>
    /// OpenIddict as token server (client credentials for integrations, code + PKCE for people) and as
    /// validator of the bearer tokens every API call carries; a cookie for the login page only.
    /// </summary>
    public static IServiceCollection AddTokenServer(this IServiceCollection services, GovernanceOptions options)
    {
        var tokens = options.Tokens;
        services.AddDataProtection()
            .SetApplicationName("Governance")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys", "data-protection")));

        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
            {
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = LogoutPath;
                cookie.Cookie.Name = "governance.signin";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        services.AddAuthorization();
        services.AddAntiforgery();
        services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<PasswordOwner>, Microsoft.AspNetCore.Identity.PasswordHasher<PasswordOwner>>();
        services.AddScoped<IdentitySeeder>();

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<TokenServerDbContext>())
            .AddServer(server =>
            {
                if (!string.IsNullOrWhiteSpace(tokens.Issuer))
                {
                    server.SetIssuer(new Uri(tokens.Issuer));
                }

                server.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, ApiScope);
                server.SetAccessTokenLifetime(tokens.AccessTokenLifetime);

                server.AddSigningCertificate(TokenKeys.Load(tokens.SigningCertificatePath, tokens.SigningCertificatePassword,
                    options.DataDirectory, "signing", X509KeyUsageFlags.DigitalSignature));
                server.AddEncryptionCertificate(TokenKeys.Load(tokens.EncryptionCertificatePath, tokens.EncryptionCertificatePassword,
                    options.DataDirectory, "encryption", X509KeyUsageFlags.KeyEncipherment));

                // Access tokens are plain signed JWTs so integrations and auditors can inspect what they carry;
                // codes and refresh tokens stay encrypted.
                server.DisableAccessTokenEncryption();

                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    // TLS ends at the load balancer in production and is absent on loopback in development.
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        return services;
    }
}

/// <summary>The type the password hasher is parameterised with; it carries nothing.</summary>
public sealed class PasswordOwner;

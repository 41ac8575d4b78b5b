using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Governance.Api.Tests.Identity;

/// <summary>A person's sign-in as a browser does it: authorize → login page → code → token, with PKCE.</summary>
public sealed class CodeFlow(GovernanceHost host)
{
    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    /// <summary>Signs in and returns the authorization code the console would receive.</summary>
    public async Task<string> SignInForCodeAsync(string tenant, string username, string password)
    {
        using var browser = new Browser(host);
        var state = Guid.NewGuid().ToString("N");
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "governance-console",
            ["response_type"] = "code",
            ["redirect_uri"] = GovernanceHost.ConsoleRedirectUri,
            ["scope"] = "openid profile governance",
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        });

        using var toLogin = await browser.Http.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var location = toLogin.Headers.Location!;
        var loginUri = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        Assert.StartsWith("/account/login", loginUri);

        using var signedIn = await browser.SignInAsync(tenant, username, password, loginUri);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"sign-in failed: {(int)signedIn.StatusCode}");

        using var toConsole = await browser.Http.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toConsole.StatusCode);
        var callback = toConsole.Headers.Location!;
        Assert.StartsWith(GovernanceHost.ConsoleRedirectUri, callback.ToString());
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(state, query["state"].ToString());
        return query["code"].ToString();
    }

    /// <summary>Redeems the code at the token endpoint with the given verifier (the right one by default).</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> RedeemAsync(string code, string? verifier = null)
    {
        using var client = host.NewClient();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "governance-console",
            ["code"] = code,
            ["redirect_uri"] = GovernanceHost.ConsoleRedirectUri,
            ["code_verifier"] = verifier ?? Verifier,
        }));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public async Task<string> SignInAsync(string tenant, string username, string password)
    {
        var code = await SignInForCodeAsync(tenant, username, password);
        var (status, body) = await RedeemAsync(code);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

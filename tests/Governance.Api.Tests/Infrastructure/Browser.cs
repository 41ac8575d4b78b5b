using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>A person's browser: keeps cookies, follows no redirects, fills in the sign-in form.</summary>
public sealed partial class Browser(GovernanceHost host) : IDisposable
{
    public HttpClient Http { get; } = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form as the page at <paramref name="loginUri"/> serves it.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string tenant, string username, string password, string loginUri = "/account/login")
    {
        var page = await Http.GetStringAsync(loginUri);
        return await Http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenField(page, "__RequestVerificationToken"),
            ["returnUrl"] = HiddenField(page, "returnUrl") is { Length: > 0 } returnUrl ? returnUrl : "/",
            ["tenant"] = tenant,
            ["username"] = username,
            ["password"] = password,
        }));
    }

    public void Dispose() => Http.Dispose();

    private static string HiddenField(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"no hidden field {name} on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}

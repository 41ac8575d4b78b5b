using System.Net;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Console;

/// <summary>The console's files over HTTP: embedded in the host, served with the right types, index.html for its routes.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleAssetTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("/console", "text/html", "<title>Governance console</title>")]
    [InlineData("/console/", "text/html", "/console/js/app.js")]
    [InlineData("/console/callback?code=x&state=y", "text/html", "<main id=\"main\"")]
    [InlineData("/console/committee/anything", "text/html", "<main id=\"main\"")]
    [InlineData("/console/console.css", "text/css", ":root")]
    [InlineData("/console/js/app.js", "text/javascript", "import")]
    [InlineData("/console/js/auth.js", "text/javascript", "code_challenge_method: 'S256'")]
    [InlineData("/console/js/graphql.js", "text/javascript", "export async function gql")]
    [InlineData("/console/js/views/committee.js", "text/javascript", "export default")]
    [InlineData("/console/js/views/auditor.js", "text/javascript", "export default")]
    [InlineData("/console/js/views/dataowner.js", "text/javascript", "export default")]
    [InlineData("/console/js/views/executive.js", "text/javascript", "export default")]
    public async Task Serves_the_console_with_its_content_types(string path, string mediaType, string contains)
    {
        using var client = fixture.Host.NewClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(contains, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Needs_no_token_and_references_nothing_outside_the_host()
    {
        using var client = fixture.Host.NewClient();
        var index = await client.GetStringAsync("/console/");

        // Every script and stylesheet is the host's own: nothing is downloaded from elsewhere at run time.
        Assert.DoesNotContain("http://", index);
        Assert.DoesNotContain("https://", index);
    }
}

using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Http;

/// <summary>The endpoint against the GraphQL-over-HTTP specification: methods, media types, status codes.</summary>
[Collection(ApiCollection.Name)]
public sealed class GraphQLOverHttpTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    private async Task<GraphQLResponse> SendAsync(HttpMethod method, string uri, HttpContent? content = null, string? accept = null, string? token = null)
    {
        token ??= await Host.GetPlatformTokenAsync();
        using var client = Host.NewClient();
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await client.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    [Fact]
    public async Task ShouldAnswerAQueryPostedAsJsonWithTheGraphQLResponseMediaType()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body("""{"query":"{ viewer { tenantId } }"}"""));

        response.AssertNoErrors();
        Assert.Equal("application/graphql-response+json", response.ContentType);
        Assert.Equal("platform", response.Data!["viewer"]!["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldAnswerAQuerySentWithGet()
    {
        var query = Uri.EscapeDataString("query Who($x: Boolean!) { viewer @include(if: $x) { tenantId } }");
        var variables = Uri.EscapeDataString("""{"x":true}""");

        var response = await SendAsync(HttpMethod.Get, $"/graphql?query={query}&variables={variables}&operationName=Who");

        response.AssertNoErrors();
        Assert.Equal("platform", response.Data!["viewer"]!["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldRefuseAMutationSentWithGet()
    {
        var query = Uri.EscapeDataString("mutation { createTenant(input: {id: \"never-made\", name: \"x\"}) { tenant { id } } }");

        var response = await SendAsync(HttpMethod.Get, $"/graphql?query={query}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("MUTATION_OVER_GET", response.FirstErrorCode);
        var tenant = await Host.Services.GetRequiredService<Governance.Storage.Tenants.TenantStore>().FindTenantAsync("never-made");
        Assert.Null(tenant);
    }

    [Fact]
    public async Task ShouldRefuseAMutationSentWithGetEvenToAPlainJsonClient()
    {
        var query = Uri.EscapeDataString("mutation { createTenant(input: {id: \"never-made-2\", name: \"x\"}) { tenant { id } } }");

        var response = await SendAsync(HttpMethod.Get, $"/graphql?query={query}", accept: "application/json");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("MUTATION_OVER_GET", response.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAnswerASyntaxErrorWith400AndItsPosition()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body("""{"query":"{ viewer { tenantId "}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("SYNTAX_ERROR", response.FirstErrorCode);
        Assert.NotNull(response.Errors[0]!["locations"]);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task ShouldAnswerAnUnknownFieldWith400NamingIt()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body("""{"query":"{ viewer { salary } }"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("salary", response.Errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldAnswer200WithErrorsWhenTheClientAcceptsOnlyApplicationJson()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body("""{"query":"{ viewer { salary } }"}"""), accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.NotEmpty(response.Errors);
    }

    [Fact]
    public async Task ShouldAnswer406WhenNoAcceptableMediaTypeIsOffered()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body("""{"query":"{ viewer { tenantId } }"}"""), accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
    }

    [Fact]
    public async Task ShouldAnswer415ForABodyThatIsNotJson()
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", new StringContent("{ viewer { tenantId } }", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.FirstErrorCode);
    }

    [Theory]
    [InlineData("""{"query": "{ viewer { tenantId } }" """)]
    [InlineData("""{"query": 42}""")]
    [InlineData("""{"variables": {}}""")]
    [InlineData("""[1, 2]""")]
    public async Task ShouldAnswer400ForABodyThatIsNotAGraphQLRequest(string body)
    {
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_REQUEST", response.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAnswer413ForAnOversizedBody()
    {
        var padding = new string(' ', 33 * 1024 * 1024);
        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body($$"""{"query":"{ viewer { tenantId } }"{{padding}}}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", response.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldRefuseAQueryDeeperThanTheLimit()
    {
        // Introspection nests as deep as anyone asks; the depth limit must stop it.
        var query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";

        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body(Json.Compact(new { query })));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("depth", response.Errors[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ShouldRefuseAQueryMoreComplexThanTheLimit()
    {
        // Aliases multiply the work of one small field without adding depth.
        var fields = string.Join(" ", Enumerable.Range(0, 2_500).Select(i => $"a{i}: viewer {{ tenantId }}"));

        var response = await SendAsync(HttpMethod.Post, "/graphql", Json.Body(Json.Compact(new { query = $"{{ {fields} }}" })));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("complexity", response.Errors[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Cli.Import;

/// <summary>
/// The two calls an import makes to a host: a client-credentials token from <c>/connect/token</c>, and
/// <c>ingestFacts</c> on <c>/graphql</c>. Each answer is classified here; retrying is the runner's business.
/// </summary>
public sealed class GovernanceClient(HttpClient http, Uri baseUrl, string clientId, string clientSecret, TimeProvider time)
{
    public const string IngestMutation =
        "mutation Ingest($input: IngestFactsInput!) { ingestFacts(input: $input) { batchId accepted duplicates late } }";

    /// <summary>Renew a token this long before it expires, so a batch never leaves with one about to.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    private readonly Uri _tokenEndpoint = new(WithSlash(baseUrl), "connect/token");
    private readonly Uri _graphQLEndpoint = new(WithSlash(baseUrl), "graphql");
    private string? _token;
    private DateTimeOffset _tokenExpires;

    /// <summary>A valid access token, fetched when there is none, it is about to expire, or <paramref name="renew"/> says the server refused it.</summary>
    public async Task<string> TokenAsync(bool renew, CancellationToken cancellationToken)
    {
        if (!renew && _token is not null && time.GetUtcNow() < _tokenExpires - RenewBefore)
        {
            return _token;
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await http.PostAsync(_tokenEndpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (IsTransient(response.StatusCode))
        {
            throw new TransientException($"token endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // reported below
        }

        if (!response.IsSuccessStatusCode || json?["access_token"]?.GetValue<string>() is not { Length: > 0 } token)
        {
            var reason = json?["error_description"]?.GetValue<string>() ?? json?["error"]?.GetValue<string>() ?? Truncate(body);
            throw new AccessException($"the token endpoint refused client '{clientId}': {(int)response.StatusCode} {reason}");
        }

        _token = token;
        _tokenExpires = time.GetUtcNow() + TimeSpan.FromSeconds(json["expires_in"]?.GetValue<int>() ?? 300);
        return token;
    }

    /// <summary>Sends one batch (a complete GraphQL request body) and says what became of it.</summary>
    public async Task<BatchAnswer> IngestAsync(byte[] requestBody, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _graphQLEndpoint) { Content = new ByteArrayContent(requestBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return new BatchAnswer.Unauthorized();
            case HttpStatusCode.RequestEntityTooLarge:
                return new BatchAnswer.Rejected([new ServerError($"the batch ({requestBody.Length:N0} bytes) is larger than the server takes: use a smaller --batch-size", "PAYLOAD_TOO_LARGE", null, null)]);
            case var status when IsTransient(status):
                return new BatchAnswer.Failed($"{(int)status} {response.ReasonPhrase}");
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return response.IsSuccessStatusCode
                ? new BatchAnswer.Failed($"{(int)response.StatusCode} with a body that is not a GraphQL response: {Truncate(body)}")
                : new BatchAnswer.Refused($"{(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}");
        }

        var errors = (json["errors"] as JsonArray ?? []).Select(ServerError.From).ToList();
        if (errors.Count == 0)
        {
            return json["data"]?["ingestFacts"] is JsonObject payload
                ? new BatchAnswer.Stored(payload["accepted"]!.GetValue<int>(), payload["duplicates"]!.GetValue<int>(), payload["late"]!.GetValue<int>())
                : new BatchAnswer.Failed($"{(int)response.StatusCode} without errors and without ingestFacts: {Truncate(body)}");
        }

        if (errors.Any(e => e.Code is "UNAUTHENTICATED"))
        {
            return new BatchAnswer.Unauthorized();
        }

        if (errors.Any(e => e.Code is "ACCESS_DENIED"))
        {
            return new BatchAnswer.Refused(string.Join("; ", errors.Select(e => e.Message)));
        }

        // Errors about the facts (they name one, or carry a data-error code) reject the batch for good.
        // Other errors in an executed request ("Error trying to resolve field …") are the server failing:
        // worth another try. Other errors in a request refused before execution (4xx) will not go away.
        var summary = $"{(int)response.StatusCode}: {string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Message} [{e.Code}]"))}";
        return errors.Any(e => e.IsAboutInput) ? new BatchAnswer.Rejected(errors)
            : response.IsSuccessStatusCode ? new BatchAnswer.Failed(summary)
            : new BatchAnswer.Refused(summary);
    }

    /// <summary>Runs a read-only GraphQL query and returns its <c>data</c>; throws <see cref="AccessException"/> on any error.</summary>
    public async Task<JsonObject> QueryAsync(string query, JsonObject? variables, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(renew: false, cancellationToken);
        var body = new JsonObject { ["query"] = query, ["variables"] = variables ?? [] };
        using var request = new HttpRequestMessage(HttpMethod.Post, _graphQLEndpoint) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        var errors = (json?["errors"] as JsonArray ?? []).Select(ServerError.From).ToList();
        if (errors.Count > 0)
        {
            throw new AccessException($"{(int)response.StatusCode}: {string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Message} [{e.Code}]"))}");
        }

        return json?["data"] as JsonObject
            ?? throw new AccessException($"{(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(text)}");
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>What became of one batch.</summary>
public abstract record BatchAnswer
{
    private BatchAnswer()
    {
    }

    /// <summary>Acknowledged: stored (or found stored before), durable.</summary>
    public sealed record Stored(int Accepted, int Duplicates, int Late) : BatchAnswer;

    /// <summary>Refused for its content; nothing of it was stored.</summary>
    public sealed record Rejected(IReadOnlyList<ServerError> Errors) : BatchAnswer;

    /// <summary>The token was not accepted (expired, or the keys changed): get another and send again.</summary>
    public sealed record Unauthorized : BatchAnswer;

    /// <summary>The caller may not do this at all (roles, protocol): sending again will not help.</summary>
    public sealed record Refused(string Reason) : BatchAnswer;

    /// <summary>The server failed or was unavailable; the batch may or may not be stored. Sending it again is safe.</summary>
    public sealed record Failed(string Reason) : BatchAnswer;
}

/// <summary>One GraphQL error of an answer, with the fact it names (<c>extensions.data.index</c>) if any.</summary>
public sealed record ServerError(string Message, string? Code, int? Index, string? Field)
{
    private static readonly string[] InputCodes = ["INVALID_INPUT", "CONFLICT", "INVALID_VALUE", "PAYLOAD_TOO_LARGE"];

    public bool IsAboutInput => Index is not null || (Code is not null && InputCodes.Contains(Code));

    public static ServerError From(JsonNode? error)
    {
        var message = error?["message"]?.GetValue<string>() ?? "(no message)";
        var extensions = error?["extensions"];
        var code = extensions?["code"]?.GetValue<string>();
        var data = extensions?["data"];
        var index = data?["index"]?.GetValue<int>();
        var field = data?["field"]?.GetValue<string>();
        if (index is null && ErrorPaths.VariablePath(message) is { } path)
        {
            // Variable coercion errors ("Variable '$input.facts[3].mrrChanged.amount' is invalid. …")
            // name the fact only in their message.
            field = path;
            index = ErrorPaths.FactIndex(path);
        }

        return new ServerError(message, code, index, field);
    }
}

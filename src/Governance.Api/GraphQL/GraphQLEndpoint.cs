using System.Diagnostics;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Governance.Api.GraphQL;

/// <summary>
/// The GraphQL endpoint, written to the GraphQL-over-HTTP specification: POST with a JSON body, GET
/// with query parameters (queries only), <c>application/graphql-response+json</c> by default with
/// status codes that say what went wrong, and plain <c>application/json</c> (always 200 once the
/// request is well-formed) for clients that ask only for that.
/// </summary>
public static class GraphQLEndpoint
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    /// <summary>Large enough for an ingest batch of 10,000 facts; larger payloads get 413.</summary>
    public const long MaxRequestBytes = 32 * 1024 * 1024;

    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapMethods(path, ["GET", "POST"], HandleAsync).ExcludeFromDescription();

    private static async Task HandleAsync(
        HttpContext context, IDocumentExecuter<GovernanceSchema> executer, IGraphQLTextSerializer serializer, ILogger<GovernanceSchema> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var mediaType = NegotiateMediaType(context.Request);
        if (mediaType is null)
        {
            await WriteErrorAsync(context, serializer, GraphQLResponseMediaType, StatusCodes.Status406NotAcceptable, "NOT_ACCEPTABLE",
                $"The Accept header allows neither {GraphQLResponseMediaType} nor {JsonMediaType}.");
            return;
        }

        // A token we did not issue for a tenant (no tenant claim) is as good as none.
        if (context.User.Identity?.IsAuthenticated != true || !context.User.HasClaim(c => c.Type == Identity.GovernanceClaims.Tenant))
        {
            var presented = context.Request.Headers.Authorization.Count > 0;
            context.Response.Headers.WWWAuthenticate = presented
                ? "Bearer error=\"invalid_token\", error_description=\"The access token is missing its signature, expired, or not issued here.\""
                : "Bearer";
            await WriteErrorAsync(context, serializer, mediaType, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated,
                presented
                    ? "The access token is invalid or expired: get a new one from /connect/token."
                    : "A bearer access token is required: get one from /connect/token.");
            return;
        }

        var (request, problem) = await ReadRequestAsync(context, serializer);
        if (request is null)
        {
            await WriteErrorAsync(context, serializer, mediaType, problem!.Value.Status, problem.Value.Code, problem.Value.Message);
            return;
        }

        var isGet = HttpMethods.IsGet(context.Request.Method);
        var result = await executer.ExecuteAsync(options =>
        {
            options.Query = request.Query;
            options.OperationName = request.OperationName;
            options.Variables = request.Variables;
            options.Extensions = request.Extensions;
            options.User = context.User;
            options.RequestServices = context.RequestServices;
            options.CancellationToken = context.RequestAborted;
            if (isGet)
            {
                options.ValidationRules = DocumentValidator.CoreRules.Append(QueryOnlyOverGetRule.Instance);
            }
        });

        // GET must stay safe whatever the client accepts, so a mutation over GET is 405 in both media types.
        var status = StatusFor(result);
        if (mediaType == JsonMediaType && status != StatusCodes.Status405MethodNotAllowed)
        {
            status = StatusCodes.Status200OK;
        }

        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "POST";
        }

        await WriteAsync(context, serializer, mediaType, status, result);
        logger.LogInformation("GraphQL {OperationType} {OperationName} answered {Status} with {ErrorCount} errors in {ElapsedMs:F1} ms",
            result.Operation?.Operation.ToString().ToLowerInvariant() ?? "request", request.OperationName ?? result.Operation?.Name?.StringValue ?? "(anonymous)",
            status, result.Errors?.Count ?? 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static int StatusFor(ExecutionResult result)
    {
        if (result.Executed)
        {
            return StatusCodes.Status200OK;
        }

        var codes = result.Errors?.Select(e => e.Code).ToHashSet() ?? [];
        if (codes.Contains(QueryOnlyOverGetRule.Code))
        {
            return StatusCodes.Status405MethodNotAllowed;
        }

        if (codes.Contains(ErrorCodes.Unauthenticated))
        {
            return StatusCodes.Status401Unauthorized;
        }

        return codes.Count > 0 && codes.All(c => c == ErrorCodes.AccessDenied)
            ? StatusCodes.Status403Forbidden
            : StatusCodes.Status400BadRequest;
    }

    private readonly record struct Problem(int Status, string Code, string Message);

    private static async Task<(GraphQLRequest? Request, Problem? Problem)> ReadRequestAsync(HttpContext context, IGraphQLTextSerializer serializer)
    {
        GraphQLRequest? request;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var query = context.Request.Query;
            try
            {
                request = new GraphQLRequest
                {
                    Query = query["query"].ToString(),
                    OperationName = NullIfEmpty(query["operationName"].ToString()),
                    Variables = DeserializeOrNull<Inputs>(serializer, query["variables"].ToString()),
                    Extensions = DeserializeOrNull<Inputs>(serializer, query["extensions"].ToString()),
                };
            }
            catch (Exception e) when (e is JsonException or GraphQLParser.Exceptions.GraphQLParserException or InvalidOperationException)
            {
                return (null, new Problem(StatusCodes.Status400BadRequest, "INVALID_REQUEST", $"The variables or extensions parameter is not a JSON object: {e.Message}"));
            }
        }
        else
        {
            if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
                || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return (null, new Problem(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                    $"POST a JSON body with Content-Type: {JsonMediaType}."));
            }

            if (context.Request.ContentLength > MaxRequestBytes)
            {
                return (null, TooLarge());
            }

            var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeLimit is { IsReadOnly: false })
            {
                sizeLimit.MaxRequestBodySize = MaxRequestBytes;
            }

            try
            {
                request = await serializer.ReadAsync<GraphQLRequest>(context.Request.Body, context.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge());
            }
            catch (Exception e) when (e is JsonException or GraphQLParser.Exceptions.GraphQLParserException or InvalidOperationException or NotSupportedException)
            {
                return (null, new Problem(StatusCodes.Status400BadRequest, "INVALID_REQUEST", $"The request body is not a GraphQL request in JSON: {e.Message}"));
            }
        }

        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            return (null, new Problem(StatusCodes.Status400BadRequest, "INVALID_REQUEST", "The request has no 'query'."));
        }

        return (request, null);
    }

    private static Problem TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The request body is larger than {MaxRequestBytes / 1024 / 1024} MiB; split it into smaller requests.");

    private static T? DeserializeOrNull<T>(IGraphQLTextSerializer serializer, string json) where T : class =>
        string.IsNullOrWhiteSpace(json) ? null : serializer.Deserialize<T>(json);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The spec's preference: graphql-response+json unless the client accepts only application/json.</summary>
    private static string? NegotiateMediaType(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return GraphQLResponseMediaType;
        }

        string? best = null;
        double bestQuality = 0;
        foreach (var value in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var quality = value.Quality ?? 1;
            if (quality <= bestQuality && best is not null)
            {
                continue;
            }

            var candidate = value.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponseMediaType or "application/*" or "*/*" => GraphQLResponseMediaType,
                JsonMediaType => JsonMediaType,
                _ => null,
            };
            if (candidate is not null && quality > 0 && (best is null || quality > bestQuality))
            {
                best = candidate;
                bestQuality = quality;
            }
        }

        return best;
    }

    private static Task WriteErrorAsync(HttpContext context, IGraphQLTextSerializer serializer, string mediaType, int status, string code, string message) =>
        WriteAsync(context, serializer, mediaType, status,
            new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }], Executed = false });

    private static async Task WriteAsync(HttpContext context, IGraphQLTextSerializer serializer, string mediaType, int status, ExecutionResult result)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }
}

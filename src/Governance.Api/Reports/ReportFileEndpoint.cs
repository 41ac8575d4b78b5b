using System.Text.Json;
using Governance.Abstractions;
using Governance.Api.GraphQL;
using Governance.Api.Identity;
using Governance.Api.Metrics.Values;
using GraphQL;
using Microsoft.Net.Http.Headers;

namespace Governance.Api.Reports;

/// <summary>
/// A report as a file: <c>GET /reports/{cadence}/{period}.md?scope=executive:cro-1</c> with a bearer
/// token, answering the Markdown the GraphQL <c>markdown</c> field renders as an attachment. The same
/// roles and tenant rule as the <c>report</c> field; errors come as GraphQL-shaped JSON with the same codes.
/// </summary>
public static class ReportFileEndpoint
{
    public const string MarkdownMediaType = "text/markdown";

    private static readonly Dictionary<string, ReportCadence> Cadences = new(StringComparer.OrdinalIgnoreCase)
    {
        ["weekly-team"] = ReportCadence.WeeklyTeam,
        ["WEEKLY_TEAM"] = ReportCadence.WeeklyTeam,
        ["monthly-leadership"] = ReportCadence.MonthlyLeadership,
        ["MONTHLY_LEADERSHIP"] = ReportCadence.MonthlyLeadership,
        ["quarterly-executive"] = ReportCadence.QuarterlyExecutive,
        ["QUARTERLY_EXECUTIVE"] = ReportCadence.QuarterlyExecutive,
    };

    /// <summary>The path segment of a cadence in file URLs.</summary>
    public static string Segment(ReportCadence cadence) => cadence switch
    {
        ReportCadence.WeeklyTeam => "weekly-team",
        ReportCadence.MonthlyLeadership => "monthly-leadership",
        _ => "quarterly-executive",
    };

    /// <summary>The cadence of a path segment (as <see cref="Segment"/> writes it).</summary>
    public static ReportCadence CadenceOf(string segment) => Cadences[segment];

    public static IEndpointRouteBuilder MapReportFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reports/{cadence}/{period}.md", HandleAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, string cadence, string period, ReportBuilder builder)
    {
        // As on /graphql, a token without our tenant claim is as good as none.
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirst(GovernanceClaims.Tenant)?.Value is not { } tenantId)
        {
            context.Response.Headers.WWWAuthenticate = context.Request.Headers.Authorization.Count > 0 ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, new ExecutionError("A bearer access token is required: get one from /connect/token.") { Code = ErrorCodes.Unauthenticated });
            return;
        }

        if (!ReportQueries.ReaderRoles.Any(context.User.IsInRole))
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden,
                new ExecutionError($"Reports require one of the roles: {string.Join(", ", ReportQueries.ReaderRoles)}.") { Code = ErrorCodes.AccessDenied });
            return;
        }

        try
        {
            if (!Cadences.TryGetValue(cadence, out var asked))
            {
                throw ErrorCodes.Invalid("cadence", "must be weekly-team, monthly-leadership or quarterly-executive");
            }

            var reportPeriod = ReportPeriod.Parse(asked, period, "period");
            var scope = ParseScope(context.Request.Query["scope"].ToString());
            var report = await builder.BuildAsync(tenantId, scope, reportPeriod, context.RequestAborted);
            var file = $"{Segment(asked)}-{scope.ToString().Replace(':', '-')}-{reportPeriod.Label}.md";
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = $"{MarkdownMediaType}; charset=utf-8";
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file }.ToString();
            await context.Response.WriteAsync(ReportMarkdown.Render(report), context.RequestAborted);
        }
        catch (ExecutionError e) when (e.Code is ErrorCodes.InvalidInput or ErrorCodes.NotFound)
        {
            await ErrorAsync(context, e.Code == ErrorCodes.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, e);
        }
    }

    /// <summary>The scope as <see cref="MetricScope.ToString"/> writes it: executive:{id}, segment:{name}, account:{id} or tenant.</summary>
    private static MetricScope ParseScope(string text)
    {
        MetricScope scope;
        try
        {
            scope = MetricScope.Parse(text);
        }
        catch (FormatException)
        {
            throw ErrorCodes.Invalid("scope", "must be executive:{id}, segment:{name}, account:{id} or tenant");
        }

        return scope.Id is not null && GrainKeys.ValidateLocalId(scope.Id) is { } problem ? throw ErrorCodes.Invalid("scope", problem) : scope;
    }

    private static async Task ErrorAsync(HttpContext context, int status, ExecutionError error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Data.Contains("field"))
        {
            extensions["data"] = new Dictionary<string, object?> { ["field"] = error.Data["field"] };
        }

        await JsonSerializer.SerializeAsync(context.Response.Body,
            new { errors = new[] { new { message = error.Message, extensions } } }, cancellationToken: context.RequestAborted);
    }
}

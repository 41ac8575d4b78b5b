using Governance.Api.Identity;

namespace Governance.Api.Hosting;

/// <summary>
/// Puts the caller's tenant and subject on every log line of an authenticated request (ASP.NET Core
/// already adds the request id). Only these identifiers: never headers, bodies, secrets or tokens.
/// </summary>
public static class RequestLogScope
{
    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var tenant = context.User.FindFirst(GovernanceClaims.Tenant)?.Value;
            if (tenant is null)
            {
                await next(context);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Request");
            using (logger.BeginScope(new Dictionary<string, object?>
                   {
                       ["TenantId"] = tenant,
                       ["Subject"] = context.User.FindFirst(GovernanceClaims.Subject)?.Value,
                   }))
            {
                await next(context);
            }
        });
}

using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace Governance.Api.Console;

/// <summary>
/// Serves the web console at <c>/console</c>: plain HTML, ES modules and CSS embedded in this assembly
/// (Console/Assets), so the host needs no file system layout and downloads nothing at run time. Any
/// other path under <c>/console/</c> gets index.html: the console routes in the browser (the code-flow
/// callback <c>/console/callback</c> included).
/// </summary>
public static class ConsoleEndpoints
{
    public const string BasePath = "/console";
    private const string ResourcePrefix = "console/";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        var assets = LoadAssets(assembly);
        endpoints.MapGet(BasePath, (HttpContext context) => Serve(context, assets, "index.html")).ExcludeFromDescription();
        endpoints.MapGet(BasePath + "/{**path}", (HttpContext context, string? path) =>
            Serve(context, assets, path is { Length: > 0 } && assets.ContainsKey(path) ? path : "index.html")).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(HttpContext context, IReadOnlyDictionary<string, byte[]> assets, string path)
    {
        if (!ContentTypes.TryGetContentType(path, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }

        // The console changes with the host: revalidate instead of serving a stale module next to a new API.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Bytes(assets[path], contentType);
    }

    // Read once at start: a handful of small files, and a missing one fails the first request, not a later one.
    private static Dictionary<string, byte[]> LoadAssets(Assembly assembly)
    {
        var assets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[normalized[ResourcePrefix.Length..]] = copy.ToArray();
        }

        if (!assets.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The console's index.html is not embedded in the Api assembly.");
        }

        return assets;
    }
}

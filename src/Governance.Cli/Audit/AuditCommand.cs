using System.CommandLine;
using Governance.Cli.Import;

namespace Governance.Cli.Audit;

/// <summary><c>governance audit export</c> (over HTTP, as an auditor's client) and <c>governance audit verify</c> (offline, from the files alone).</summary>
public static class AuditCommand
{
    public static Command Create() => new("audit", "The tenant's tamper-evident audit log: export it, and verify an export offline.")
    {
        Export(), Verify(),
    };

    private static Command Export()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The host, e.g. http://127.0.0.1:5080",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--url: '{text}' is not an http(s) URL.");
                return null;
            },
        };
        var clientId = new Option<string>("--client-id") { Description = "A client of the tenant with role auditor or tenant-admin", Required = true };
        var clientSecret = new Option<string>("--client-secret") { Description = $"Its secret (or set {ImportCommand.SecretVariable})" };
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write entries.jsonl, checkpoints.json and public-key.pem to", Required = true };
        var command = new Command("export", "Writes the tenant's audit entries, signed checkpoints (a new one over the whole log first) and public key to a folder.")
        {
            url, clientId, clientSecret, output,
        };
        string? Secret(ParseResult parsed) => parsed.GetValue(clientSecret) is { Length: > 0 } value ? value : Environment.GetEnvironmentVariable(ImportCommand.SecretVariable);
        command.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(result.GetValue(clientSecret)) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ImportCommand.SecretVariable)))
            {
                result.AddError($"--client-secret is required (or set {ImportCommand.SecretVariable}).");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"governance-cli/{typeof(AuditCommand).Assembly.GetName().Version}");
            var client = new GovernanceClient(http, parsed.GetRequiredValue(url), parsed.GetRequiredValue(clientId), Secret(parsed)!, TimeProvider.System);
            var directory = parsed.GetRequiredValue(output).FullName;
            try
            {
                var result = await new AuditExporter(client).ExportAsync(directory, cancellationToken);
                Console.Out.WriteLine($"Exported {result.Entries} entries and {result.Checkpoints} checkpoints (latest tree size {result.LatestTreeSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, key {result.KeyId}) to {directory}");
                return 0;
            }
            catch (Exception e) when (e is AccessException or TransientException or HttpRequestException or IOException)
            {
                Console.Error.WriteLine($"Export failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Verify()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder written by audit export" }.AcceptExistingOnly();
        var key = new Option<FileInfo>("--key") { Description = "A public key (PEM) kept out of band, used instead of the exported public-key.pem" }.AcceptExistingOnly();
        var command = new Command("verify", "Checks an export offline: every leaf recomputed from the entry's fields, seq contiguous from 0, every checkpoint's signature and root, and each checkpoint consistent with the next.")
        {
            directory, key,
        };
        command.SetAction(parsed =>
        {
            var pem = parsed.GetValue(key) is { } file ? File.ReadAllText(file.FullName) : null;
            var report = OfflineVerifier.Verify(parsed.GetRequiredValue(directory).FullName, pem);
            if (report.Ok)
            {
                var latest = report.LatestTreeSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
                Console.Out.WriteLine($"OK: {report.Entries} entries, {report.Checkpoints} checkpoints verified (latest tree size {latest}).");
                if (report.UnsignedEntries > 0)
                {
                    Console.Out.WriteLine($"Note: the last {report.UnsignedEntries} entries are after the latest checkpoint; no signature covers them.");
                }

                return 0;
            }

            Console.Out.WriteLine($"FAILED: {report.Problems.Count} problem(s) in {report.Entries} entries and {report.Checkpoints} checkpoints:");
            foreach (var problem in report.Problems)
            {
                Console.Out.WriteLine($"  {problem}");
            }

            return 1;
        });
        return command;
    }
}

using System.CommandLine;
using Spectre.Console;

namespace Governance.Cli.Import;

/// <summary><c>governance import</c>: the options, and the wiring of a runner to the console.</summary>
public static class ImportCommand
{
    public const string SecretVariable = "GOVERNANCE_CLIENT_SECRET";

    public static Command Create()
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
        var clientId = new Option<string>("--client-id") { Description = "The tenant's integration client; the facts go to its tenant", Required = true };
        var clientSecret = new Option<string>("--client-secret")
        {
            // No DefaultValueFactory: help would print the secret as the default.
            Description = $"Its secret (or set {SecretVariable}, which keeps it out of the process list)",
        };
        string? Secret(ParseResult parsed) => parsed.GetValue(clientSecret) is { Length: > 0 } value ? value : Environment.GetEnvironmentVariable(SecretVariable);
        var file = new Option<FileInfo>("--file") { Description = "The facts: .csv or .jsonl", Required = true }.AcceptExistingOnly();
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file's extension)" }.AcceptOnlyFromAmong("csv", "jsonl");
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"Facts per ingestFacts call, 1 to {ImportOptions.MaxBatchSize}; each is stored whole or not at all",
            DefaultValueFactory = _ => ImportOptions.DefaultBatchSize,
        };
        batchSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > ImportOptions.MaxBatchSize)
            {
                result.AddError($"--batch-size must be 1 to {ImportOptions.MaxBatchSize}.");
            }
        });
        var restart = new Option<bool>("--restart") { Description = "Ignore the checkpoint of an earlier run and send every line" };

        var command = new Command("import", "Loads a CSV or JSON-lines file of facts into the client's tenant through ingestFacts; resumable.")
        {
            url, clientId, clientSecret, file, format, batchSize, restart,
        };
        command.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(result.GetValue(clientSecret)) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SecretVariable)))
            {
                result.AddError($"--client-secret is required (or set {SecretVariable}).");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new ImportOptions
            {
                Url = parsed.GetRequiredValue(url),
                ClientId = parsed.GetRequiredValue(clientId),
                ClientSecret = Secret(parsed)!,
                File = parsed.GetRequiredValue(file).FullName,
                Format = parsed.GetValue(format) switch
                {
                    "csv" => FactFileFormat.Csv,
                    "jsonl" => FactFileFormat.JsonLines,
                    _ => null,
                },
                BatchSize = parsed.GetValue(batchSize),
                Restart = parsed.GetValue(restart),
            };
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"governance-cli/{typeof(ImportCommand).Assembly.GetName().Version}");
            var view = new ConsoleImportView(Console(System.Console.Out, System.Console.IsOutputRedirected), Console(System.Console.Error, System.Console.IsErrorRedirected));
            var result = await view.RunAsync(progress => new ImportRunner(http, options, progress).RunAsync(cancellationToken));
            return (int)result.Exit;
        });
        return command;
    }

    /// <summary>A console on <paramref name="writer"/>; into a file or a log, lines are not wrapped at the default 80 columns.</summary>
    private static IAnsiConsole Console(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}

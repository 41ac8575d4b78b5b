using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Testing;

namespace Governance.Acceptance.Tests;

/// <summary>
/// Governance.Api.dll started as its own process, configured through environment variables as an
/// operator would. Its output is kept so a failing test can show it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string PlatformSecret = "platform-acceptance-secret";
    public const string Issuer = "http://governance.acceptance/";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, int httpPort, int siloPort, int gatewayPort)
    {
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<HostProcess> StartAsync(string connectionString, string dataDirectory, string clusterId, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (httpPort, siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var start = new ProcessStartInfo("dotnet", [ApiAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ApiAssemblyPath())!,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
                ["Governance__ConnectionString"] = connectionString,
                ["Governance__DataDirectory"] = dataDirectory,
                ["Governance__Orleans__ClusterId"] = clusterId,
                ["Governance__Orleans__SiloPort"] = siloPort.ToString(),
                ["Governance__Orleans__GatewayPort"] = gatewayPort.ToString(),
                ["Governance__Tokens__Issuer"] = Issuer,
                ["Governance__Platform__ClientSecret"] = PlatformSecret,
                ["Governance__Jobs__WorkerCount"] = "1",
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, httpPort, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Waits for /health/ready, the way a load balancer would decide to send traffic.</summary>
    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The host on port {HttpPort} was not ready within {timeout}:\n{Output}");
    }

    public async Task<string> GetTokenAsync(string clientId, string secret)
    {
        using var response = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    public async Task<JsonObject> GraphQLAsync(string token, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode && body["errors"] is null, $"{(int)response.StatusCode} {body.ToJsonString()}");
        return body["data"]!.AsObject();
    }

    /// <summary>kill -9: no shutdown, no deactivation, no snapshot, connections cut mid-request.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string ApiAssemblyPath() => BuildOutput.AssemblyPath("Governance.Api");
}

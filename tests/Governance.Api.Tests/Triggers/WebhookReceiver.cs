using System.Collections.Concurrent;
using System.Threading.Channels;
using Governance.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Governance.Api.Tests.Triggers;

/// <summary>
/// A tenant's webhook endpoint: a Kestrel server on a free loopback port that keeps every request and
/// answers with the status codes it is told, in order (200 once they run out). Tests await requests
/// from <see cref="NextAsync"/>, which ends in a timeout rather than waiting forever.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly ConcurrentQueue<int> _answers;

    private WebhookReceiver(WebApplication app, IEnumerable<int> answers)
    {
        _app = app;
        _answers = new ConcurrentQueue<int>(answers);
    }

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(params int[] answers)
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var receiver = new WebhookReceiver(builder.Build(), answers) { Url = $"http://127.0.0.1:{port}/hooks/governance" };
        receiver._app.MapPost("/hooks/governance", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The next request received, or a failure after <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The webhook received nothing in time.");
        }
    }

    /// <summary>Requests received and not yet taken.</summary>
    public int Pending => _received.Reader.Count;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var status = _answers.TryDequeue(out var next) ? next : 200;
        _received.Writer.TryWrite(new Received(
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status));
        return Results.StatusCode(status);
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith);
}

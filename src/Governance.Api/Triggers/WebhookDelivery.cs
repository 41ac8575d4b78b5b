using System.Diagnostics;
using System.Text;
using Governance.Api.Hosting;
using Governance.Domain.Triggers;
using Governance.Storage.Triggers;
using Hangfire;

namespace Governance.Api.Triggers;

/// <summary>
/// Delivers one webhook event as a Hangfire job: POSTs the stored body to the tenant's webhook in force,
/// signed (<see cref="WebhookSignature"/>), and logs the attempt. A failed attempt (no answer in time, or
/// not a 2xx) schedules the next one after <c>Webhooks:RetryDelaysSeconds</c>; when those run out the event
/// stays undelivered, visible in <c>webhookDeliveries</c> and the log. Every attempt carries the same event id
/// and body, so a receiver that got an earlier attempt after all recognises the repeat.
/// </summary>
public sealed class WebhookDelivery(
    TriggerStore store, WebhookSecrets secrets, IHttpClientFactory httpClients, IBackgroundJobClient jobs, GovernanceOptions options, TimeProvider time, ILogger<WebhookDelivery> logger)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Queues the first attempt.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, string tenantId, Guid eventId) =>
        jobs.Enqueue<WebhookDelivery>(d => d.DeliverAsync(tenantId, eventId, CancellationToken.None));

    // Retries of failed attempts are scheduled by the method itself (configurable delays, each attempt logged);
    // Hangfire's own retries only cover a failure to read or log (the database away), which repeats the attempt.
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("webhook {1} for tenant {0}")]
    public async Task DeliverAsync(string tenantId, Guid eventId, CancellationToken cancellationToken)
    {
        var webhookEvent = await store.EventAsync(tenantId, eventId, cancellationToken)
            ?? throw new InvalidOperationException($"Tenant {tenantId} has no webhook event {eventId}.");
        var attempts = await store.AttemptsAsync(tenantId, eventId, cancellationToken);
        if (attempts.Any(a => a.Succeeded))
        {
            return; // delivered already (a recovery run queued it again)
        }

        var attempt = attempts.Count + 1;
        var webhook = await store.WebhookAsync(tenantId, cancellationToken);
        if (webhook is null)
        {
            // Nothing to call: logged once, not retried. Setting a webhook later does not resend old events.
            await store.RecordDeliveryAsync(tenantId, new NewDelivery(eventId, attempt, null, null, "no webhook is set", false, 0), cancellationToken);
            return;
        }

        if (secrets.Reveal(webhook.Secret) is not { } secret)
        {
            // Retrying cannot help: the tenant admin sets the webhook again, which issues a new secret.
            logger.LogError("Webhook event {EventId} of tenant {TenantId}: the webhook's secret cannot be decrypted with this host's data-protection keys", eventId, tenantId);
            await store.RecordDeliveryAsync(tenantId, new NewDelivery(eventId, attempt, webhook.Url, null,
                "the webhook's signing secret cannot be decrypted (data-protection keys lost or not shared): set the webhook again", false, 0), cancellationToken);
            return;
        }

        var (statusCode, error, elapsed) = await PostAsync(webhook.Url, secret, webhookEvent, attempt, cancellationToken);
        var succeeded = statusCode is >= 200 and < 300;
        if (!await store.RecordDeliveryAsync(tenantId, new NewDelivery(eventId, attempt, webhook.Url, statusCode, error, succeeded, elapsed), cancellationToken))
        {
            return; // another delivery of this event logged this attempt number and schedules what follows
        }

        if (succeeded)
        {
            logger.LogInformation("Webhook event {EventId} of tenant {TenantId} delivered on attempt {Attempt}", eventId, tenantId, attempt);
            return;
        }

        var delays = options.Webhooks.RetryDelays;
        if (attempt > delays.Count)
        {
            logger.LogError("Webhook event {EventId} of tenant {TenantId} not delivered after {Attempts} attempts (last: {Status} {Error}); giving up",
                eventId, tenantId, attempt, statusCode, error);
            return;
        }

        var delay = delays[attempt - 1];
        logger.LogWarning("Webhook event {EventId} of tenant {TenantId}: attempt {Attempt} failed ({Status} {Error}); retrying in {Delay}",
            eventId, tenantId, attempt, statusCode, error, delay);
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(jobs, tenantId, eventId);
        }
        else
        {
            jobs.Schedule<WebhookDelivery>(d => d.DeliverAsync(tenantId, eventId, CancellationToken.None), delay);
        }
    }

    private async Task<(int? StatusCode, string? Error, int ElapsedMs)> PostAsync(string url, string secret, WebhookEventRow webhookEvent, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(webhookEvent.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), webhookEvent.Body));
        request.Headers.Add("Governance-Event-Id", webhookEvent.EventId.ToString());
        request.Headers.Add("Governance-Event-Type", webhookEvent.Type);
        request.Headers.Add("Governance-Delivery-Attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return ((int)response.StatusCode, null, Elapsed(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is TaskCanceledException ? $"no answer within {options.Webhooks.Timeout.TotalSeconds:0.#} s" : e.Message;
            return (null, error, Elapsed(started));
        }
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

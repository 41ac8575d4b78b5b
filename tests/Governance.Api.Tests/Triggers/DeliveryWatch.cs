using System.Collections.Concurrent;
using System.Threading.Channels;
using Governance.Api.Triggers;
using Hangfire;
using Hangfire.Server;

namespace Governance.Api.Tests.Triggers;

/// <summary>
/// Signals each time a Hangfire worker finished a <see cref="WebhookDelivery"/> job of a tenant (its attempt
/// logged, its retry queued), so a test waits for exactly that instead of sleeping. Hangfire's filters are
/// process-wide: one watch serves every host, keyed by tenant.
/// </summary>
public sealed class DeliveryWatch : IServerFilter
{
    private static readonly Lazy<DeliveryWatch> Instance = new(() =>
    {
        var watch = new DeliveryWatch();
        GlobalJobFilters.Filters.Add(watch);
        return watch;
    });

    private readonly ConcurrentDictionary<string, Channel<Guid>> _byTenant = new();

    public static DeliveryWatch Shared => Instance.Value;

    /// <summary>Waits for the next finished delivery job of the tenant; answers its event id.</summary>
    public async Task<Guid> NextAsync(string tenantId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await Of(tenantId).Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No webhook delivery of tenant {tenantId} finished in time.");
        }
    }

    public void OnPerforming(PerformingContext context)
    {
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.BackgroundJob.Job.Type == typeof(WebhookDelivery) && context.BackgroundJob.Job.Args is [string tenantId, Guid eventId, ..])
        {
            Of(tenantId).Writer.TryWrite(eventId);
        }
    }

    private Channel<Guid> Of(string tenantId) => _byTenant.GetOrAdd(tenantId, _ => Channel.CreateUnbounded<Guid>());
}

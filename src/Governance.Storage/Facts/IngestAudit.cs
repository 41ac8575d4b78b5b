using System.Buffers;
using System.Text;
using System.Text.Json;
using Governance.Abstractions.Facts;
using Governance.Domain.Audit;
using Governance.Domain.Facts;
using Npgsql;

namespace Governance.Storage.Facts;

/// <summary>
/// The audit entries of a stored batch (docs/audit.md): one <c>facts.ingested</c>, one
/// <c>fact.corrected</c> per correction and one <c>account.assigned</c> per portfolio change, in fact
/// order. Built from what the insert returned, plus one query for the previous owners when the batch
/// assigns accounts, so a batch of any size costs the ingest transaction at most one more round trip
/// before the append.
/// </summary>
internal static class IngestAudit
{
    private static readonly string Assigned = FactKind.AccountAssigned.WireName();

    public static async Task<IReadOnlyList<AuditEvent>> EventsAsync(NpgsqlConnection connection, string tenantId, Guid batchId, string recordedBy,
        IReadOnlyList<FactMessage> stored, int duplicates, CancellationToken cancellationToken)
    {
        if (stored.Count == 0)
        {
            return [];
        }

        var events = new List<AuditEvent> { Ingested(batchId, recordedBy, stored, duplicates) };
        var assignments = stored.Where(f => f.Kind == Assigned).ToList();
        var previous = assignments.Count == 0
            ? new Dictionary<long, string>()
            : await PreviousOwnersAsync(connection, tenantId, assignments.Select(f => f.FactId).ToArray(), cancellationToken);
        foreach (var fact in stored)
        {
            if (fact.Supersedes is { } superseded)
            {
                events.Add(new AuditEvent(recordedBy, "fact.corrected", $"fact:{fact.FactId}", null, FactJson(superseded), FactJson(fact)));
            }

            if (fact.Kind == Assigned)
            {
                events.Add(new AuditEvent(recordedBy, "account.assigned", $"account:{fact.AccountId}", null,
                    previous.GetValueOrDefault(fact.FactId), AssignmentJson(fact)));
            }
        }

        return events;
    }

    private static AuditEvent Ingested(Guid batchId, string recordedBy, IReadOnlyList<FactMessage> stored, int duplicates) =>
        new(recordedBy, "facts.ingested", $"batch:{batchId}", null, null, AuditEvent.Json(new
        {
            batchId,
            facts = stored.Count,
            duplicates,
            late = stored.Count(f => f.Late),
            firstFactId = stored.Min(f => f.FactId),
            lastFactId = stored.Max(f => f.FactId),
            kinds = stored.GroupBy(f => f.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        }));

    /// <summary>
    /// For each assignment, who owned the account at its effective month as the facts stood before it
    /// (AccountLedger.OwnerOf): of the earlier facts that were not yet corrected, the assignment, or the
    /// creation naming an owner (from its month), latest by month and then by fact id. None: no entry.
    /// </summary>
    private static async Task<Dictionary<long, string>> PreviousOwnersAsync(NpgsqlConnection connection, string tenantId, long[] factIds,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            select x.fact_id, p.fact_id, p.executive_id, p.effective_from
            from facts x
            cross join lateral (
                select c.fact_id, c.executive_id, c.effective_from
                from (
                    select f.fact_id,
                           case when f.kind = 'account.assigned' then f.payload ->> 'executiveId' else f.payload ->> 'ownerExecutiveId' end as executive_id,
                           case when f.kind = 'account.assigned' then cast(f.payload ->> 'effectiveFrom' as date)
                                else cast(f.occurred_at at time zone 'UTC' as date) end as effective_from
                    from facts f
                    where f.tenant_id = $1 and f.account_id = x.account_id and f.fact_id < x.fact_id
                      and (f.kind = 'account.assigned' or (f.kind = 'account.created' and f.payload ? 'ownerExecutiveId'))
                      and not exists (select 1 from facts s where s.tenant_id = $1 and s.supersedes_fact_id = f.fact_id and s.fact_id < x.fact_id)
                ) c
                where date_trunc('month', c.effective_from) <= date_trunc('month', cast(x.payload ->> 'effectiveFrom' as date))
                order by date_trunc('month', c.effective_from) desc, c.fact_id desc
                limit 1
            ) p
            where x.tenant_id = $1 and x.fact_id = any($2)
            """, connection);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = factIds });
        var owners = new Dictionary<long, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[reader.GetInt64(0)] = AuditEvent.Json(new
            {
                executiveId = reader.GetString(2),
                effectiveFrom = reader.GetFieldValue<DateOnly>(3),
                factId = reader.GetInt64(1),
            });
        }

        return owners;
    }

    private static string AssignmentJson(FactMessage fact)
    {
        var payload = FactPayloads.FromJson(FactKind.AccountAssigned, fact.PayloadJson) as AccountAssignedPayload;
        return AuditEvent.Json(new { executiveId = payload!.ExecutiveId, effectiveFrom = payload.EffectiveFrom, factId = fact.FactId, occurredAt = fact.OccurredAt });
    }

    // The fact as stored, its payload embedded as the JSON it is (not a string of JSON).
    private static string FactJson(FactMessage fact)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("factId", fact.FactId);
            writer.WriteString("kind", fact.Kind);
            writer.WriteString("accountId", fact.AccountId);
            writer.WriteString("occurredAt", fact.OccurredAt);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(fact.PayloadJson);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

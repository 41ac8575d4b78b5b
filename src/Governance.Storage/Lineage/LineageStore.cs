using System.Buffers.Binary;
using System.Security.Cryptography;
using Governance.Domain.Audit;
using Governance.Domain.Metrics.Values;
using Governance.Storage.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Storage.Lineage;

/// <summary>
/// One fact behind a metric value, as lineage shows it. <see cref="CorrectedByFactId"/> is the fact that
/// corrects it (at most one, migration 0008), as of the read: it may have arrived after a pin that read this one.
/// </summary>
public sealed record LineageFact(
    long FactId, string Source, string ExternalId, string? AccountId, string Kind, DateTimeOffset OccurredAt,
    Guid BatchId, bool Late, long? SupersedesFactId, byte[] ContentHash, long? CorrectedByFactId = null);

/// <summary>
/// Which facts lie behind a value: those of <see cref="AccountIds"/> (null: every account of the tenant)
/// of <see cref="Kinds"/> that occurred in [<see cref="From"/>, <see cref="To"/>), and of
/// <see cref="HistoryKinds"/> that occurred before <see cref="From"/> (the levels' running sums).
/// </summary>
public sealed record LineageFilter(IReadOnlyList<string>? AccountIds, IReadOnlyList<string> Kinds, IReadOnlyList<string> HistoryKinds, DateTimeOffset From, DateTimeOffset To);

/// <summary>Reads the facts behind metric values, and stores and reads pins; every query in a <see cref="TenantSession"/>.</summary>
public sealed class LineageStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPage = 200;

    // f is the fact; c its correction, if any (the partial unique index facts_superseded_once finds it).
    private const string Columns = "f.fact_id, f.source, f.external_id, f.account_id, f.kind, f.occurred_at, f.batch_id, f.late, f.supersedes_fact_id, f.content_hash, c.fact_id";

    private const string FromFacts = "facts f left join facts c on c.tenant_id = f.tenant_id and c.supersedes_fact_id = f.fact_id";

    private const string PinColumns = "pin_id, key, version, scope, period, value, null_reason, fact_ids, digest, pinned_by, pinned_at, reason, measures";

    /// <summary>A page of the facts of <paramref name="filter"/> with ids above <paramref name="afterFactId"/>, by id.</summary>
    public async Task<IReadOnlyList<LineageFact>> FactsAsync(string tenantId, LineageFilter filter, long afterFactId, int first, CancellationToken cancellationToken = default)
    {
        if (filter.AccountIds is { Count: 0 } || (filter.Kinds.Count == 0 && filter.HistoryKinds.Count == 0))
        {
            return [];
        }

        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            select {Columns} from {FromFacts}
            where f.tenant_id = $1 and ($2::text[] is null or f.account_id = any($2))
              and ((f.kind = any($3) and f.occurred_at >= $4 and f.occurred_at < $5) or (f.kind = any($6) and f.occurred_at < $4))
              and f.fact_id > $7
            order by f.fact_id
            limit $8
            """, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = (object?)filter.AccountIds?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.Kinds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = filter.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = filter.HistoryKinds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = afterFactId });
        command.Parameters.Add(new() { Value = Math.Clamp(first, 1, int.MaxValue) });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Every fact of <paramref name="filter"/>, page by page.</summary>
    public async Task<IReadOnlyList<LineageFact>> AllFactsAsync(string tenantId, LineageFilter filter, CancellationToken cancellationToken = default)
    {
        var all = new List<LineageFact>();
        for (var after = 0L; ; after = all[^1].FactId)
        {
            var page = await FactsAsync(tenantId, filter, after, 5_000, cancellationToken);
            all.AddRange(page);
            if (page.Count < 5_000)
            {
                return all;
            }
        }
    }

    /// <summary>The facts of the tenant with these ids (others are not found).</summary>
    public async Task<IReadOnlyList<LineageFact>> FactsByIdAsync(string tenantId, IReadOnlyCollection<long> factIds, CancellationToken cancellationToken = default)
    {
        if (factIds.Count == 0)
        {
            return [];
        }

        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {FromFacts} where f.tenant_id = $1 and f.fact_id = any($2) order by f.fact_id", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = factIds.ToArray() });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The segment an account was created in and every executive it was ever assigned to (or created with).</summary>
    public async Task<(string? Segment, IReadOnlyList<string> Executives)> AccountScopesAsync(string tenantId, string accountId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select kind, coalesce(payload->>'segment', ''), coalesce(payload->>'ownerExecutiveId', payload->>'executiveId', '')
            from facts where tenant_id = $1 and account_id = $2 and kind in ('account.created', 'account.assigned')
            order by fact_id
            """, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = accountId });
        string? segment = null;
        var executives = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetString(0) == "account.created" && reader.GetString(1) is { Length: > 0 } s)
            {
                segment = s;
            }

            if (reader.GetString(2) is { Length: > 0 } e && !executives.Contains(e))
            {
                executives.Add(e);
            }
        }

        return (segment, executives);
    }

    /// <summary>SHA-256 over each fact, by ascending id: its id (8 bytes, big-endian) then its content hash.</summary>
    public static byte[] Digest(IEnumerable<LineageFact> facts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> id = stackalloc byte[8];
        foreach (var fact in facts.OrderBy(f => f.FactId))
        {
            BinaryPrimitives.WriteInt64BigEndian(id, fact.FactId);
            hash.AppendData(id);
            hash.AppendData(fact.ContentHash);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Stores a pin — with the measure readings the value was computed from, so the run can be explained
    /// later as it was — and appends its audit entry (<c>metric_value.pinned</c>) in one transaction.
    /// </summary>
    public async Task<MetricPin> PinAsync(string tenantId, string key, int version, string scope, string period, decimal? value, string? nullReason,
        IReadOnlyList<MeasureReading> measures, IReadOnlyList<LineageFact> facts, string pinnedBy, string reason, CancellationToken cancellationToken = default)
    {
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var pin = new MetricPin(Guid.NewGuid(), key, version, scope, period, value, nullReason,
            facts.Select(f => f.FactId).Order().ToList(), Digest(facts), pinnedBy, at, reason, measures);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using (var command = new NpgsqlCommand(
            """
            insert into metric_pins (tenant_id, pin_id, key, version, scope, period, value, null_reason, fact_ids, digest, pinned_by, pinned_at, reason, measures)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """, session.Connection, session.Transaction))
        {
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = pin.PinId });
            command.Parameters.Add(new() { Value = key });
            command.Parameters.Add(new() { Value = version });
            command.Parameters.Add(new() { Value = scope });
            command.Parameters.Add(new() { Value = period });
            command.Parameters.Add(new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(new() { Value = (object?)nullReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = pin.FactIds.ToArray() });
            command.Parameters.Add(new() { Value = pin.Digest });
            command.Parameters.Add(new() { Value = pinnedBy });
            command.Parameters.Add(new() { Value = at });
            command.Parameters.Add(new() { Value = reason });
            command.Parameters.Add(new() { Value = PinnedMeasures.ToJson(measures), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var index = new NpgsqlCommand(
            "insert into pin_facts (tenant_id, fact_id, pin_id) select $1, unnest($2::bigint[]), $3", session.Connection, session.Transaction))
        {
            index.Parameters.Add(new() { Value = tenantId });
            index.Parameters.Add(new() { Value = pin.FactIds.ToArray() });
            index.Parameters.Add(new() { Value = pin.PinId });
            await index.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(pinnedBy, "metric_value.pinned", $"pin:{pin.PinId}", reason, null,
                AuditEvent.Json(new { pin.PinId, key, version, scope, period, value, nullReason, measures, facts = pin.FactIds.Count, digest = Convert.ToHexStringLower(pin.Digest) })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return pin;
    }

    /// <summary>A pin of the tenant, or null (another tenant's pin is not visible).</summary>
    public async Task<MetricPin?> GetPinAsync(string tenantId, Guid pinId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select {PinColumns} from metric_pins where tenant_id = $1 and pin_id = $2", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = pinId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return ReadPin(reader);
    }

    /// <summary>
    /// The tenant's pins whose recorded facts include <paramref name="factId"/>, oldest first, through
    /// pin_facts (migration 0022): an index lookup, where searching metric_pins.fact_ids could not use
    /// one under forced row-level security.
    /// </summary>
    public async Task<IReadOnlyList<MetricPin>> PinsWithFactAsync(string tenantId, long factId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            select {string.Join(", ", PinColumns.Split(", ").Select(c => "p." + c))}
            from pin_facts pf join metric_pins p on p.tenant_id = pf.tenant_id and p.pin_id = pf.pin_id
            where pf.tenant_id = $1 and pf.fact_id = $2
            order by p.pinned_at, p.pin_id
            """,
            session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = factId });
        var pins = new List<MetricPin>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pins.Add(ReadPin(reader));
        }

        return pins;
    }

    private static MetricPin ReadPin(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetFieldValue<long[]>(7), reader.GetFieldValue<byte[]>(8), reader.GetString(9),
            reader.GetFieldValue<DateTimeOffset>(10), reader.GetString(11),
            reader.IsDBNull(12) ? null : PinnedMeasures.FromJson(reader.GetString(12)));

    private static async Task<IReadOnlyList<LineageFact>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var facts = new List<LineageFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new LineageFact(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetGuid(6), reader.GetBoolean(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.GetFieldValue<byte[]>(9), reader.IsDBNull(10) ? null : reader.GetInt64(10)));
        }

        return facts;
    }
}

using System.Diagnostics;
using Governance.Benchmarks.Synthetic;
using Governance.Domain.Facts;

namespace Governance.Benchmarks.Steps;

/// <summary>What the generator produced: the JSONL file every ingest path reads, and the mix.</summary>
public sealed record DataSetSummary(
    string File,
    long Facts,
    int CreatedFacts,
    long Bytes,
    IReadOnlyDictionary<FactKind, long> Kinds,
    TimeSpan Total,
    TimeSpan Serialization);

/// <summary>
/// Step 1: generates the tenant and writes it as JSON lines, one GraphQL <c>FactInput</c> per line,
/// account.created first. The GraphQL writers and the bulk import read this file, so both send
/// exactly the same bytes, and the client's JSON work is measured here once.
/// </summary>
public static class GenerateStep
{
    public static DataSetSummary Run(SyntheticTenant tenant, string file)
    {
        var kinds = new long[Enum.GetValues<FactKind>().Length];
        var json = new FactJson();
        long serializationTicks = 0;
        long facts = 0;
        var started = Stopwatch.GetTimestamp();
        using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var fact in tenant.AllFacts())
            {
                var before = Stopwatch.GetTimestamp();
                var line = json.Write(fact);
                serializationTicks += Stopwatch.GetTimestamp() - before;
                stream.Write(line);
                stream.WriteByte((byte)'\n');
                kinds[(int)fact.Kind]++;
                facts++;
            }
        }

        return new DataSetSummary(
            file,
            facts,
            tenant.Accounts,
            new FileInfo(file).Length,
            Enum.GetValues<FactKind>().Where(k => kinds[(int)k] > 0).ToDictionary(k => k, k => kinds[(int)k]),
            Stopwatch.GetElapsedTime(started),
            TimeSpan.FromSeconds(serializationTicks / (double)Stopwatch.Frequency));
    }

    /// <summary>Cuts a stream of facts into batches of at most <paramref name="size"/>.</summary>
    public static IEnumerable<List<FactDraft>> Batches(IEnumerable<FactDraft> facts, int size)
    {
        var batch = new List<FactDraft>(size);
        foreach (var fact in facts)
        {
            batch.Add(fact);
            if (batch.Count == size)
            {
                yield return batch;
                batch = new List<FactDraft>(size);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}

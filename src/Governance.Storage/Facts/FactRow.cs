using Governance.Domain.Facts;

namespace Governance.Storage.Facts;

/// <summary>A validated fact ready to append: its draft, the payload JSON that will be stored and the content hash.</summary>
public sealed record FactRow(int Index, FactDraft Draft, string PayloadJson, byte[] ContentHash)
{
    public static FactRow From(int index, FactDraft draft)
    {
        var json = FactPayloads.ToJson(draft.Payload);
        return new FactRow(index, draft, json, FactPayloads.ContentHash(draft, json));
    }
}

/// <summary>What appending a batch did.</summary>
public sealed record AppendResult(
    IReadOnlyList<FactError> Errors,
    IReadOnlyList<Governance.Abstractions.Facts.FactMessage> Stored,
    int Duplicates,
    Guid BatchId)
{
    public bool Rejected => Errors.Count > 0;
}

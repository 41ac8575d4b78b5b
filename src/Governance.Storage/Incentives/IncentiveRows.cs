namespace Governance.Storage.Incentives;

/// <summary>A stored version of a scorecard or plan: the document is the domain record as JSON (IncentiveJson).</summary>
public sealed class VersionRow
{
    public string ExecutiveId { get; set; } = "";
    public int Version { get; set; }
    public DateOnly EffectiveFrom { get; set; }

    /// <summary>The template a scorecard was adopted from; the payee's user id for a plan.</summary>
    public string? Tag { get; set; }
    public string Document { get; set; } = "";
    public string Author { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

/// <summary>A stored payout: what was computed and pinned when it was proposed, never changed after.</summary>
public sealed class PayoutRow
{
    public Guid PayoutId { get; set; }
    public string ExecutiveId { get; set; } = "";
    public string Period { get; set; } = "";
    public string PayeeUserId { get; set; } = "";
    public decimal Total { get; set; }
    public string Currency { get; set; } = "";
    public string Statement { get; set; } = "";
    public Guid[] PinIds { get; set; } = [];
    public string ProposedBy { get; set; } = "";
    public DateTime ProposedAt { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>A stored payout event.</summary>
public sealed class PayoutEventRow
{
    public Guid PayoutId { get; set; }
    public int Seq { get; set; }
    public string Kind { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Reason { get; set; }
    public int? Tranche { get; set; }
    public string? Evidence { get; set; }
    public DateTime At { get; set; }
}

/// <summary>An event to append: what, by whom, why, for which tranche, with what evidence (JSON).</summary>
public sealed record NewPayoutEvent(string Kind, string Actor, string? Reason, int? Tranche, string? Evidence);

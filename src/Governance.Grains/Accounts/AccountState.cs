using Governance.Domain.Measures;

namespace Governance.Grains.Accounts;

/// <summary>
/// The account grain's snapshot: the ledger its facts add up to and the id of the last fact in it.
/// Stored as JSON (JsonGrainStateSerializer); facts past the watermark are replayed on activation.
/// </summary>
public sealed class AccountState
{
    public long Watermark { get; set; }

    public AccountLedger Ledger { get; set; } = new();
}

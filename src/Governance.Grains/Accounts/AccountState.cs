using Governance.Domain.Measures;

namespace Governance.Grains.Accounts;

/// <summary>
/// The account grain's snapshot: the ledger its facts add up to, the id of the last fact in it, and the
/// version each roll-up was last given. Stored as JSON (JsonGrainStateSerializer); facts past the
/// watermark are replayed on activation.
/// </summary>
public sealed class AccountState
{
    public long Watermark { get; set; }

    public AccountLedger Ledger { get; set; } = new();

    /// <summary>Roll-up key → the account version that roll-up holds, as far as this account knows.</summary>
    public Dictionary<string, long> PushedTo { get; set; } = new(StringComparer.Ordinal);
}

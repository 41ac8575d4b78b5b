using Governance.Abstractions.Facts;

namespace Governance.Domain.Facts;

/// <summary>Reading the facts table back, for grains that rebuild their state after a restart.</summary>
public interface IFactLog
{
    /// <summary>The account's facts with ids above <paramref name="afterFactId"/>, in id order, corrections with what they supersede.</summary>
    Task<IReadOnlyList<FactMessage>> ReadAccountAsync(string tenantId, string accountId, long afterFactId, CancellationToken cancellationToken = default);
}

using Governance.Abstractions.Facts;

namespace Governance.Domain.Facts;

/// <summary>Reading the facts table back, for grains that rebuild their state after a restart.</summary>
public interface IFactLog
{
    /// <summary>The account's facts with ids above <paramref name="afterFactId"/>, in id order, corrections with what they supersede.</summary>
    Task<IReadOnlyList<FactMessage>> ReadAccountAsync(string tenantId, string accountId, long afterFactId, CancellationToken cancellationToken = default);

    /// <summary>Every account of the tenant (an account.created fact was stored for it).</summary>
    Task<IReadOnlyList<string>> AccountsOfTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Every account ever placed in the executive's portfolio (created with them as owner, or assigned to them).</summary>
    Task<IReadOnlyList<string>> AccountsOfPortfolioAsync(string tenantId, string executiveId, CancellationToken cancellationToken = default);

    /// <summary>Every account ever created in the segment.</summary>
    Task<IReadOnlyList<string>> AccountsOfSegmentAsync(string tenantId, string segment, CancellationToken cancellationToken = default);
}

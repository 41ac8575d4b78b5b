namespace Governance.Abstractions.Accounts;

/// <summary>
/// One customer account of one tenant. Key: <see cref="GrainKeys.Account"/>, i.e. <c>{tenantId}/{accountId}</c>,
/// so two tenants' accounts with the same id are different grains.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Returns the account, or <see langword="null"/> when it was never registered. Never writes.</summary>
    Task<AccountSnapshot?> GetAsync();

    /// <summary>
    /// Registers the account. Registering again with the same details changes nothing and reports
    /// <see cref="RegisterAccountOutcome.AlreadyRegistered"/>; with different details it reports
    /// <see cref="RegisterAccountOutcome.Conflict"/> and changes nothing.
    /// </summary>
    Task<RegisterAccountResult> RegisterAsync(RegisterAccountCommand command);
}

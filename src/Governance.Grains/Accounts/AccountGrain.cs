using Governance.Abstractions;
using Governance.Abstractions.Accounts;

namespace Governance.Grains.Accounts;

public sealed class AccountGrain(
    [PersistentState("account", GrainStorage.Default)] IPersistentState<AccountState> state,
    TimeProvider time) : Grain, IAccountGrain
{
    private (string TenantId, string AccountId) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public Task<AccountSnapshot?> GetAsync() =>
        Task.FromResult(state.State.IsRegistered ? Snapshot() : null);

    public async Task<RegisterAccountResult> RegisterAsync(RegisterAccountCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (state.State.IsRegistered)
        {
            var same = state.State.Name == command.Name && state.State.Segment == command.Segment;
            return new RegisterAccountResult
            {
                Outcome = same ? RegisterAccountOutcome.AlreadyRegistered : RegisterAccountOutcome.Conflict,
                Account = Snapshot(),
            };
        }

        state.State.Name = command.Name;
        state.State.Segment = command.Segment;
        state.State.RegisteredBy = command.RegisteredBy;
        state.State.RegisteredAt = time.GetUtcNow();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The write did not land: forget it, so memory never claims what storage does not hold.
            await state.ReadStateAsync();
            throw;
        }

        return new RegisterAccountResult { Outcome = RegisterAccountOutcome.Created, Account = Snapshot() };
    }

    private AccountSnapshot Snapshot()
    {
        var (tenantId, accountId) = Key;
        return new AccountSnapshot
        {
            TenantId = tenantId,
            AccountId = accountId,
            Name = state.State.Name!,
            Segment = state.State.Segment,
            RegisteredAt = state.State.RegisteredAt!.Value,
            RegisteredBy = state.State.RegisteredBy!,
        };
    }
}

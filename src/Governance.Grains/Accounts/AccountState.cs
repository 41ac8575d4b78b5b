namespace Governance.Grains.Accounts;

/// <summary>Persisted state of <see cref="AccountGrain"/>. Stored as JSON: rename or remove members only with a migration.</summary>
[GenerateSerializer, Alias("governance.account-state")]
public sealed class AccountState
{
    [Id(0)] public string? Name { get; set; }

    [Id(1)] public string? Segment { get; set; }

    [Id(2)] public DateTimeOffset? RegisteredAt { get; set; }

    [Id(3)] public string? RegisteredBy { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRegistered => RegisteredAt is not null;
}

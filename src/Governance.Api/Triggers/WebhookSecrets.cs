using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Governance.Api.Triggers;

/// <summary>
/// Webhook signing secrets are kept encrypted in PostgreSQL with the host's data-protection keys (in the data
/// folder, which the silos of a cluster share), so a copy of the database alone cannot forge a tenant's
/// webhook calls. Stored as <c>dp1:</c> + the protected text.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("Governance.Webhooks.SigningSecret.v1");

    public string Protect(string secret) => Prefix + _protector.Protect(secret);

    /// <summary>The secret to sign with, or null when it cannot be read (the data-protection keys it was protected with are gone).</summary>
    public string? Reveal(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored; // set before secrets were encrypted
        }

        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

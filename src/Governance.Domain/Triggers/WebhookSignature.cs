using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Governance.Domain.Triggers;

/// <summary>
/// The signature of a webhook delivery (docs/api.md, "Triggers and webhooks"): header
/// <c>Governance-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c>, the HMAC keyed with the UTF-8 bytes of
/// the tenant's secret over <c>"{t}.{body}"</c>. Signing the timestamp with the body lets a receiver refuse
/// a replayed old delivery; the same scheme as Stripe's, so receivers' libraries know it.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Governance-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Hex(secret, t, body)}";
    }

    /// <summary>
    /// What a receiver does: parse <c>t</c> and every <c>v1</c>, recompute, compare in constant time, and
    /// refuse a timestamp further than <paramref name="tolerance"/> from <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            switch (part[..equals])
            {
                case "t": t = part[(equals + 1)..]; break;
                case "v1": signatures.Add(part[(equals + 1)..]); break;
            }
        }

        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Hex(secret, t, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes, base64url.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hex(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
}

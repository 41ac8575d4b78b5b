namespace Governance.Abstractions.Tenancy;

/// <summary>
/// Rules for tenant identifiers. A tenant id is a short lowercase slug (e.g. <c>acme</c>); it is the
/// first segment of every grain key and the first column of every tenant table, and it is only ever
/// taken from the caller's token.
/// </summary>
public static class TenantId
{
    /// <summary>The smallest accepted length.</summary>
    public const int MinLength = 2;

    /// <summary>The largest accepted length.</summary>
    public const int MaxLength = 40;

    /// <summary>
    /// Returns <see langword="null"/> when <paramref name="value"/> is a valid tenant id, otherwise why not.
    /// Valid: 2–40 characters of <c>a-z</c>, <c>0-9</c> and <c>-</c>, starting with a letter, not ending with <c>-</c>.
    /// </summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length is < MinLength or > MaxLength)
        {
            return $"must be {MinLength} to {MaxLength} characters long";
        }

        if (value[0] is < 'a' or > 'z')
        {
            return "must start with a lowercase letter";
        }

        if (value[^1] == '-')
        {
            return "must not end with '-'";
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return "may contain only lowercase letters, digits and '-'";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="value"/> is a valid tenant id.</summary>
    public static string Require(string? value, string paramName = "tenantId")
    {
        var problem = Validate(value);
        return problem is null ? value! : throw new ArgumentException($"Tenant id {problem}.", paramName);
    }
}

using System.Text.RegularExpressions;

namespace Governance.Cli.Import;

/// <summary>Reading the argument paths in the server's errors (<c>input.facts[3].mrrChanged.amount</c>).</summary>
public static partial class ErrorPaths
{
    /// <summary>The index of the fact a path names (<c>input.facts[3]…</c> → 3), or null.</summary>
    public static int? FactIndex(string path) =>
        FactPath().Match(path) is { Success: true } match ? int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The part of a path inside the fact (<c>input.facts[3].mrrChanged.amount</c> → <c>mrrChanged.amount</c>), or "" for the fact itself.</summary>
    public static string WithinFact(string path) =>
        FactPath().Match(path) is { Success: true } match ? match.Groups["rest"].Value : path;

    /// <summary>The path of a variable coercion error (<c>Variable '$input.facts[0].score' is invalid. …</c>) without its '$', or null.</summary>
    public static string? VariablePath(string message) =>
        VariableError().Match(message) is { Success: true } match ? match.Groups["path"].Value : null;

    /// <summary>
    /// The error's text without the path it starts with, and with references to other facts of the batch
    /// (<c>facts[2]</c>) replaced by what <paramref name="describe"/> makes of their index (a file line).
    /// </summary>
    public static string Explain(string message, string? field, Func<int, string?> describe)
    {
        var text = message;
        if (VariableError().Match(text) is { Success: true } variable)
        {
            text = variable.Groups["reason"].Value;
        }
        else if (field is { Length: > 0 } && text.StartsWith(field + ": ", StringComparison.Ordinal))
        {
            text = text[(field.Length + 2)..];
        }

        return OtherFact().Replace(text, m =>
            describe(int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)) ?? m.Value);
    }

    [GeneratedRegex(@"^input\.facts\[(?<index>\d+)\]\.?(?<rest>.*)$")]
    private static partial Regex FactPath();

    [GeneratedRegex(@"^Variable '\$(?<path>[^']+)' is invalid\.\s*(?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex VariableError();

    [GeneratedRegex(@"\bfacts\[(?<index>\d+)\]")]
    private static partial Regex OtherFact();
}

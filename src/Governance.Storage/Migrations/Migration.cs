using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Governance.Storage.Migrations;

/// <summary>One numbered SQL script from db/migrations, as embedded in this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>All embedded migrations, in version order. File names are <c>NNNN_name.sql</c>.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .OrderBy(m => m.Version)
            .ToList();

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }

    private static Migration Load(Assembly assembly, string resource)
    {
        var fileName = resource["migrations/".Length..^".sql".Length];
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore != 4 || !int.TryParse(fileName.AsSpan(0, 4), out var version))
        {
            throw new InvalidOperationException($"Migration '{fileName}.sql' is not named NNNN_name.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new Migration(version, fileName, reader.ReadToEnd());
    }
}

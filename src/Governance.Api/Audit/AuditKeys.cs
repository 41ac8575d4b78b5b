using System.Security.Cryptography;
using Governance.Domain.Audit;

namespace Governance.Api.Audit;

/// <summary>
/// The checkpoint signing key, kept like the token keys (<see cref="Identity.TokenKeys"/>): from
/// configuration (<c>Governance:AuditSigningKeyPath</c>, a PKCS#8 PEM of an ECDSA P-256 key) when
/// given, otherwise generated once into the data folder, so every host sharing the folder signs with
/// the same key and checkpoints outlive a restart.
/// </summary>
public static class AuditKeys
{
    public static CheckpointSigner Load(string? path, string dataDirectory)
    {
        var file = string.IsNullOrWhiteSpace(path) ? Path.Combine(dataDirectory, "keys", "audit-signing.pem") : path;
        if (string.IsNullOrWhiteSpace(path) && !File.Exists(file))
        {
            Create(file);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(file));
        return new CheckpointSigner(key);
    }

    private static void Create(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Write aside and move into place, as TokenKeys does: two hosts starting together keep one key.
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The public key, unauthenticated, at <c>/.well-known/governance-audit-key</c> (PEM).</summary>
    public static IEndpointRouteBuilder MapAuditPublicKey(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/.well-known/governance-audit-key", (CheckpointSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file"))
            .AllowAnonymous();
        return endpoints;
    }
}

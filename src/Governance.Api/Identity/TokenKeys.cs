using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Governance.Api.Identity;

/// <summary>
/// The token server's signing and encryption certificates: from configuration when given, otherwise
/// development certificates generated once into the data folder, so tokens outlive a restart and every
/// host sharing the folder signs with the same key.
/// </summary>
public static class TokenKeys
{
    public static X509Certificate2 Load(string? path, string? password, string dataDirectory, string purpose, X509KeyUsageFlags usage)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }

        var file = Path.Combine(dataDirectory, "keys", $"token-{purpose}.pfx");
        if (!File.Exists(file))
        {
            CreateDevelopmentCertificate(file, purpose, usage);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void CreateDevelopmentCertificate(string file, string purpose, X509KeyUsageFlags usage)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Governance development token {purpose}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        // Write aside and move into place: two hosts starting together on one folder both end up
        // with whichever file landed first, never with a half-written one.
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, certificate.Export(X509ContentType.Pkcs12));
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
}

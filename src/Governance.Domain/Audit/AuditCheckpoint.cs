using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Governance.Domain.Audit;

/// <summary>A signed statement that the tenant's log had <see cref="TreeSize"/> entries with root <see cref="RootHash"/> at <see cref="At"/>.</summary>
public sealed record AuditCheckpoint(string TenantId, long TreeSize, byte[] RootHash, DateTimeOffset At, string KeyId, byte[] Signature)
{
    /// <summary>
    /// What is signed, UTF-8: <c>governance-audit-checkpoint/v1</c>, tenant, tree size (decimal), root
    /// (lower-case hex) and time (<see cref="AuditEntry.TimestampFormat"/>), each followed by a line feed.
    /// </summary>
    public static byte[] SignedBytes(string tenantId, long treeSize, byte[] rootHash, DateTimeOffset at) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"governance-audit-checkpoint/v1\n{tenantId}\n{treeSize}\n{Convert.ToHexStringLower(rootHash)}\n{AuditEntry.FormatTimestamp(at)}\n"));

    public byte[] SignedBytes() => SignedBytes(TenantId, TreeSize, RootHash, At);
}

/// <summary>
/// The service's checkpoint key: ECDSA P-256 over SHA-256, signatures in IEEE P1363 form (r ‖ s, 64
/// bytes). The key id is the lower-case hex of the first 8 bytes of SHA-256 of the public key's
/// SubjectPublicKeyInfo (DER).
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    private readonly ECDsa _key;

    public CheckpointSigner(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            throw new ArgumentException("The checkpoint key is ECDSA P-256.", nameof(key));
        }

        _key = key;
        KeyId = KeyIdOf(key);
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    public string KeyId { get; }

    /// <summary>The public key, PEM "PUBLIC KEY" (SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem { get; }

    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));

    public AuditCheckpoint Sign(string tenantId, long treeSize, byte[] rootHash, DateTimeOffset at)
    {
        var time = AuditEntry.StorableTime(at);
        var signature = _key.SignData(AuditCheckpoint.SignedBytes(tenantId, treeSize, rootHash, time), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint(tenantId, treeSize, rootHash, time, KeyId, signature);
    }

    /// <summary>Whether this key signed <paramref name="checkpoint"/> as it stands.</summary>
    public bool Verify(AuditCheckpoint checkpoint) => Verify(PublicKeyPem, checkpoint);

    /// <summary>Whether the key <paramref name="publicKeyPem"/> signed <paramref name="checkpoint"/> as it stands.</summary>
    public static bool Verify(string publicKeyPem, AuditCheckpoint checkpoint)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return checkpoint.KeyId == KeyIdOf(key)
            && key.VerifyData(checkpoint.SignedBytes(), checkpoint.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}

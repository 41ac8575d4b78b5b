using Governance.Api.Triggers;
using Microsoft.AspNetCore.DataProtection;

namespace Governance.Api.Tests.Triggers;

public sealed class WebhookSecretsTests
{
    private static WebhookSecrets With(string keys) =>
        new(DataProtectionProvider.Create(new DirectoryInfo(keys), builder => builder.SetApplicationName("Governance")));

    [Fact]
    public void ShouldRevealWhatItProtectedWithTheSameKeysAndNothingWithOthers()
    {
        var (keys, otherKeys) = (Directory.CreateTempSubdirectory("dp-").FullName, Directory.CreateTempSubdirectory("dp-").FullName);
        var stored = With(keys).Protect("whsec_abc123");

        Assert.StartsWith("dp1:", stored);
        Assert.DoesNotContain("abc123", stored, StringComparison.Ordinal);
        Assert.Equal("whsec_abc123", With(keys).Reveal(stored)); // another host sharing the data folder
        Assert.Null(With(otherKeys).Reveal(stored));
        Assert.Null(With(keys).Reveal("dp1:not-a-protected-payload"));
    }

    [Fact]
    public void ShouldReadASecretStoredBeforeSecretsWereEncryptedAsItIs() =>
        Assert.Equal("whsec_plain", With(Directory.CreateTempSubdirectory("dp-").FullName).Reveal("whsec_plain"));
}

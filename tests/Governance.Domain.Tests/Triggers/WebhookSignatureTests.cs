using System.Security.Cryptography;
using System.Text;
using Governance.Domain.Triggers;

namespace Governance.Domain.Tests.Triggers;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test";
    private const string Body = """{"id":"e1","type":"trigger.fired"}""";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Fact]
    public void ShouldSignTheTimestampAndBodyWithHmacSha256OfTheSecret()
    {
        // Computed independently of the class: what a receiver in any language computes.
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1750000000." + Body)));

        Assert.Equal($"t=1750000000,v1={expected}", WebhookSignature.Sign(Secret, 1_750_000_000, Body));
    }

    [Fact]
    public void ShouldVerifyOnlyTheSameBodySecretAndARecentTimestamp()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(1), tolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body.Replace("e1", "e2"), Now, tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), tolerance));
        Assert.False(WebhookSignature.Verify(Secret, "v1=" + header.Split("v1=")[1], Body, Now, tolerance));
    }

    [Fact]
    public void ShouldIssueADifferentSecretEachTime() =>
        Assert.NotEqual(WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
}

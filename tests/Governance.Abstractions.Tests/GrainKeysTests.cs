using Governance.Abstractions;
using Governance.Abstractions.Tenancy;

namespace Governance.Abstractions.Tests;

public sealed class GrainKeysTests
{
    [Fact]
    public void ShouldPutTheTenantFirstInAnAccountKey() =>
        Assert.Equal("acme/acc-1", GrainKeys.Account("acme", "acc-1"));

    [Fact]
    public void ShouldSplitAKeyWhoseLocalIdContainsASlash()
    {
        var key = GrainKeys.Account("acme", "eu/acc-1");

        Assert.Equal(("acme", "eu/acc-1"), GrainKeys.Parse(key));
    }

    [Fact]
    public void ShouldGiveTwoTenantsDifferentKeysForTheSameAccountId() =>
        Assert.NotEqual(GrainKeys.Account("acme", "acc-1"), GrainKeys.Account("globex", "acc-1"));

    [Theory]
    [InlineData("Acme")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("acme-")]
    public void ShouldRefuseAnInvalidTenantId(string tenantId) =>
        Assert.Throws<ArgumentException>(() => GrainKeys.Account(tenantId, "acc-1"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void ShouldRefuseAnUnusableLocalId(string accountId) =>
        Assert.Throws<ArgumentException>(() => GrainKeys.Account("acme", accountId));

    [Fact]
    public void ShouldRefuseAnOverlongLocalId() =>
        Assert.NotNull(GrainKeys.ValidateLocalId(new string('x', GrainKeys.MaxLocalIdLength + 1)));

    [Theory]
    [InlineData("noslash")]
    [InlineData("/acc-1")]
    [InlineData("acme/")]
    [InlineData("ACME/acc-1")]
    public void ShouldRefuseToParseAKeyThatIsNotTenantScoped(string key) =>
        Assert.Throws<ArgumentException>(() => GrainKeys.Parse(key));
}

public sealed class TenantIdTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("acme")]
    [InlineData("acme-eu-2")]
    public void ShouldAcceptAValidTenantId(string value) => Assert.Null(TenantId.Validate(value));

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("a", "must be 2 to 40 characters long")]
    [InlineData("1acme", "must start with a lowercase letter")]
    [InlineData("acme-", "must not end with '-'")]
    [InlineData("ac me", "may contain only lowercase letters, digits and '-'")]
    [InlineData("acmé", "may contain only lowercase letters, digits and '-'")]
    public void ShouldSayWhyATenantIdIsInvalid(string? value, string problem) => Assert.Equal(problem, TenantId.Validate(value));

    [Fact]
    public void ShouldRefuseATenantIdLongerThan40Characters() => Assert.NotNull(TenantId.Validate(new string('a', 41)));
}

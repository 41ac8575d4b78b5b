using System.Globalization;
using System.Text.Json;
using Governance.Domain.Facts;

namespace Governance.Domain.Tests.Facts;

public sealed class FactPayloadsTests
{
    [Theory]
    [MemberData(nameof(Examples.AllKinds), MemberType = typeof(Examples))]
    public void ShouldReadBackThePayloadItWroteForEveryKind(FactKind kind)
    {
        var payload = Examples.ValidPayload(kind);

        var read = FactPayloads.FromJson(kind, FactPayloads.ToJson(payload));

        Assert.IsType(FactPayloads.TypeOf(kind), read);
        Assert.Equal(payload, read);
    }

    [Fact]
    public void ShouldKnowAWireNameAndAPayloadTypeForEveryKind()
    {
        // A kind added to the enum but not to the tables would fail only when the first such fact arrives.
        Assert.Equal(Enum.GetValues<FactKind>().Order(), FactKinds.All.Order());
        Assert.All(Enum.GetValues<FactKind>(), kind =>
        {
            Assert.Equal(kind, FactKinds.Parse(kind.WireName()));
            Assert.True(FactPayloads.TypeOf(kind).IsSubclassOf(typeof(FactPayload)));
        });
    }

    [Fact]
    public void ShouldWriteCamelCaseAndLeaveNullsOut() =>
        Assert.Equal("""{"name":"Acme Corp"}""", FactPayloads.ToJson(new AccountCreatedPayload("Acme Corp", null, null)));

    [Theory]
    [InlineData(MrrMovement.New, "new")]
    [InlineData(MrrMovement.Expansion, "expansion")]
    [InlineData(MrrMovement.Contraction, "contraction")]
    [InlineData(MrrMovement.Churn, "churn")]
    [InlineData(MrrMovement.Reactivation, "reactivation")]
    public void ShouldWriteAnMrrMovementInSnakeCase(MrrMovement movement, string name)
    {
        var json = FactPayloads.ToJson(new MrrChangedPayload(movement, 10.5m, "USD"));

        Assert.Equal($$"""{"movement":"{{name}}","amount":10.5,"currency":"USD"}""", json);
        Assert.Equal(movement, ((MrrChangedPayload)FactPayloads.FromJson(FactKind.MrrChanged, json)).Movement);
    }

    [Theory]
    [InlineData(SurveyType.Nps, "nps")]
    [InlineData(SurveyType.Csat, "csat")]
    [InlineData(SurveyType.Ces, "ces")]
    public void ShouldWriteASurveyTypeInSnakeCase(SurveyType survey, string name) =>
        Assert.Equal($$"""{"survey":"{{name}}","score":5}""", FactPayloads.ToJson(new SurveyRespondedPayload(survey, 5, null)));

    [Fact]
    public void ShouldWriteAMultiWordEnumValueWithAnUnderscore() =>
        // Today's payload enums are one word each, where snake_case and camelCase agree; the next one may not be.
        Assert.Equal("\"first_value\"", JsonSerializer.Serialize(Probe.FirstValue, FactPayloads.Json));

    [Fact]
    public void ShouldRefuseAnEmptyPayload() =>
        Assert.Throws<JsonException>(() => FactPayloads.FromJson(FactKind.QbrHeld, "null"));

    [Fact]
    public void ShouldHashEqualFactsEqually()
    {
        var fact = Fact();
        var same = Fact();

        Assert.NotSame(fact.Payload, same.Payload);
        Assert.Equal(Hash(fact), Hash(same));
    }

    [Fact]
    public void ShouldHashTheSameInstantInAnyOffsetEqually()
    {
        // Senders write times in their own offset; the same moment must not look like a conflict.
        var utc = Fact();
        var paris = utc with { OccurredAt = utc.OccurredAt.ToOffset(TimeSpan.FromHours(2)) };

        Assert.Equal(Hash(utc), Hash(paris));
    }

    [Fact]
    public void ShouldHashAnAmountWithOrWithoutTrailingZerosEqually()
    {
        // 1,000.50 and 1,000.5 are the same money (and equal facts): a retry whose client writes the
        // number differently is a repeat, not a conflict.
        var fact = Fact() with { Payload = new MrrChangedPayload(MrrMovement.New, 1_000.50m, "USD") };
        var shorter = Fact() with { Payload = new MrrChangedPayload(MrrMovement.New, 1_000.5m, "USD") };

        Assert.Equal(fact, shorter);
        Assert.Equal(Hash(fact), Hash(shorter));
    }

    [Theory]
    [InlineData("1000.50", "1000.5")]
    [InlineData("100.00", "100")]
    [InlineData("0.00", "0")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("1000000000000.0000", "1000000000000")]
    public void ShouldWriteAnAmountWithoutTrailingZeros(string amount, string written) =>
        Assert.Equal($$"""{"amount":{{written}},"currency":"USD"}""",
            FactPayloads.ToJson(new RenewalPayload(decimal.Parse(amount, CultureInfo.InvariantCulture), "USD")));

    [Fact]
    public void ShouldWriteAnInstantInsideAPayloadInUtc() =>
        Assert.Equal("""{"ticketId":"T-1","openedAt":"2025-06-15T09:30:00+00:00"}""",
            FactPayloads.ToJson(new TicketFirstResponsePayload("T-1", new DateTimeOffset(2025, 6, 15, 11, 30, 0, TimeSpan.FromHours(2)))));

    [Fact]
    public void ShouldHashTheSameInstantInsideAPayloadInAnyOffsetEqually()
    {
        var openedAt = Examples.OccurredAt.AddHours(-2);
        var utc = Examples.Draft(FactKind.TicketResolved, new TicketResolvedPayload("T-1", openedAt, 1));
        var paris = utc with { Payload = new TicketResolvedPayload("T-1", openedAt.ToOffset(TimeSpan.FromHours(2)), 1) };

        Assert.Equal(utc, paris);
        Assert.Equal(Hash(utc), Hash(paris));
    }

    [Fact]
    public void ShouldLeaveTheIdempotencyKeyOutOfTheHash()
    {
        // The hash compares two sends under one (source, externalId); it is about what they say.
        var fact = Fact();

        Assert.Equal(Hash(fact), Hash(fact with { Source = "crm", ExternalId = "other" }));
    }

    [Fact]
    public void ShouldHashFactsThatDifferInKindDifferently()
    {
        // Same payload type and content, different meaning: a renewal due is not a renewal won.
        var due = Fact() with { Kind = FactKind.RenewalDue, Payload = new RenewalPayload(100m, "USD") };

        Assert.NotEqual(Hash(due), Hash(due with { Kind = FactKind.RenewalRenewed }));
    }

    [Fact]
    public void ShouldHashFactsThatDifferInAccountDifferently() =>
        Assert.NotEqual(Hash(Fact()), Hash(Fact() with { AccountId = "acc-2" }));

    [Fact]
    public void ShouldHashFactsThatDifferInOccurredAtDifferently() =>
        Assert.NotEqual(Hash(Fact()), Hash(Fact() with { OccurredAt = Examples.OccurredAt.AddTicks(1) }));

    [Theory]
    [InlineData(null, "ext-0")]
    [InlineData("ext-0", "ext-9")]
    public void ShouldHashFactsThatDifferInSupersedesDifferently(string? one, string other) =>
        Assert.NotEqual(Hash(Fact() with { Supersedes = one }), Hash(Fact() with { Supersedes = other }));

    [Fact]
    public void ShouldHashFactsThatDifferInPayloadDifferently() =>
        Assert.NotEqual(Hash(Fact()), Hash(Fact() with { Payload = new MrrChangedPayload(MrrMovement.New, 1_000.51m, "USD") }));

    private static FactDraft Fact() => Examples.Draft(FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.New, 1_000.50m, "USD"));

    private static string Hash(FactDraft fact) => Convert.ToHexString(FactPayloads.ContentHash(fact, FactPayloads.ToJson(fact.Payload)));

    private enum Probe
    {
        FirstValue,
    }
}

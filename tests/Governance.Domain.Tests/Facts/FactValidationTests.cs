using System.Globalization;
using Governance.Domain.Facts;

namespace Governance.Domain.Tests.Facts;

public sealed class FactValidationTests
{
    // Not 0, so a test that forgets to pass the index through would fail.
    private const int Index = 3;

    [Theory]
    [MemberData(nameof(Examples.AllKinds), MemberType = typeof(Examples))]
    public void ShouldAcceptAValidFactOfEveryKind(FactKind kind) =>
        Assert.Empty(Validate(Examples.Draft(kind)));

    [Fact]
    public void ShouldNameTheFactByItsIndexInTheBatch()
    {
        var error = Assert.Single(Validate(Mrr(MrrMovement.New, -1m)));

        Assert.Equal(Index, error.Index);
        Assert.Equal(FactError.InvalidInput, error.Code);
        Assert.Equal("facts[3].mrrChanged.amount: must not be negative", error.ToString());
    }

    [Fact]
    public void ShouldReportEveryProblemOfAFactAtOnce()
    {
        // A caller fixing a batch should see all its mistakes in one round trip, in field order.
        var draft = Mrr(MrrMovement.Expansion, -5m, "usd") with { Source = " ", OccurredAt = Examples.Now.AddDays(1) };

        Assert.Equal(
            [
                new FactError(Index, "source", "must not be blank"),
                new FactError(Index, "occurredAt", "must not be in the future"),
                new FactError(Index, "mrrChanged.amount", "must not be negative"),
                new FactError(Index, "mrrChanged.currency", CurrencyMessage),
            ],
            Validate(draft));
    }

    [Fact]
    public void ShouldRejectANegativeMrrAmount() =>
        AssertRejected(Mrr(MrrMovement.Contraction, -0.01m), "mrrChanged.amount", "must not be negative");

    [Fact]
    public void ShouldRejectANegativeRenewalAmount() =>
        AssertRejected(Examples.Draft(FactKind.RenewalDue, new RenewalPayload(-100m, "USD")), "renewalDue.amount", "must not be negative");

    [Fact]
    public void ShouldRejectAZeroMrrAmount() =>
        AssertRejected(Mrr(MrrMovement.New, 0m), "mrrChanged.amount", "must be greater than zero");

    [Fact]
    public void ShouldAcceptAZeroRenewalAmount() =>
        // A free plan comes up for renewal too; only an MRR change of nothing is meaningless.
        Assert.Empty(Validate(Examples.Draft(FactKind.RenewalRenewed, new RenewalPayload(0m, "USD"))));

    [Fact]
    public void ShouldRejectAnAmountWithMoreThanFourDecimals() =>
        AssertRejected(Mrr(MrrMovement.New, 1.00001m), "mrrChanged.amount", "must have at most 4 decimal places");

    [Theory]
    [InlineData("1.0001")]
    [InlineData("1.00010")]
    public void ShouldAcceptFourDecimalsEvenWithTrailingZerosBeyondThem(string amount) =>
        // JSON parsers keep trailing zeros in decimal's scale: 1.00010 is still exactly 10,001 units.
        Assert.Empty(Validate(Mrr(MrrMovement.New, decimal.Parse(amount, CultureInfo.InvariantCulture))));

    [Fact]
    public void ShouldRejectAnAmountAboveTheMaximumWithTheSameMessageInEveryCulture()
    {
        // The message goes to API clients; it must not depend on the server's locale.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            AssertRejected(Mrr(MrrMovement.New, Money.MaxAmount + 1m), "mrrChanged.amount", "must be at most 1,000,000,000,000");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("USDX")]
    [InlineData("")]
    [InlineData("U$D")]
    public void ShouldRejectACurrencyThatIsNotThreeCapitalLetters(string currency) =>
        AssertRejected(Mrr(MrrMovement.New, 10m, currency), "mrrChanged.currency", CurrencyMessage);

    [Fact]
    public void ShouldRequireACurrencyForARenewalAmount() =>
        AssertRejected(Examples.Draft(FactKind.RenewalDue, new RenewalPayload(100m, null)), "renewalDue.currency", CurrencyMessage);

    [Fact]
    public void ShouldAcceptARenewalWithoutAmountOrCurrency() =>
        Assert.Empty(Validate(Examples.Draft(FactKind.RenewalLost, new RenewalPayload(null, null))));

    [Theory]
    [InlineData(11)]
    [InlineData(-1)]
    public void ShouldRejectAnNpsScoreOutside0To10(int score) =>
        AssertRejected(Survey(SurveyType.Nps, score), "surveyResponded.score", "NPS must be 0 to 10");

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void ShouldRejectACsatScoreOutside1To5(int score) =>
        AssertRejected(Survey(SurveyType.Csat, score), "surveyResponded.score", "CSAT must be 1 to 5");

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void ShouldRejectACesScoreOutside1To7(int score) =>
        AssertRejected(Survey(SurveyType.Ces, score), "surveyResponded.score", "CES must be 1 to 7");

    [Theory]
    [InlineData(SurveyType.Nps, 0)]
    [InlineData(SurveyType.Nps, 10)]
    [InlineData(SurveyType.Csat, 1)]
    [InlineData(SurveyType.Csat, 5)]
    [InlineData(SurveyType.Ces, 1)]
    [InlineData(SurveyType.Ces, 7)]
    public void ShouldAcceptBothEndsOfEachSurveyScale(SurveyType survey, int score) =>
        Assert.Empty(Validate(Survey(survey, score)));

    [Fact]
    public void ShouldRejectAFactBeyondTheClockSkewInTheFuture() =>
        AssertRejected(Examples.Draft(FactKind.QbrHeld) with { OccurredAt = Examples.Now + FactValidation.ClockSkew + TimeSpan.FromSeconds(1) },
            "occurredAt", "must not be in the future");

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void ShouldAcceptAFactAheadOfUsByNoMoreThanTheClockSkew(int secondsFromTheLimit) =>
        // A sender whose clock runs a few minutes fast is not sending from the future.
        Assert.Empty(Validate(Examples.Draft(FactKind.QbrHeld) with
        {
            OccurredAt = Examples.Now + FactValidation.ClockSkew + TimeSpan.FromSeconds(secondsFromTheLimit),
        }));

    [Fact]
    public void ShouldRejectAFactBefore2000() =>
        AssertRejected(Examples.Draft(FactKind.QbrHeld) with { OccurredAt = FactValidation.Earliest.AddSeconds(-1) },
            "occurredAt", "must not be before 2000-01-01");

    [Fact]
    public void ShouldAcceptAFactAtTheFirstInstantOf2000() =>
        Assert.Empty(Validate(Examples.Draft(FactKind.QbrHeld) with { OccurredAt = FactValidation.Earliest }));

    [Fact]
    public void ShouldRejectAnAssignmentEffectiveBefore2000() =>
        AssertRejected(Examples.Draft(FactKind.AccountAssigned, new AccountAssignedPayload("exec-2", new DateOnly(1999, 12, 31))),
            "accountAssigned.effectiveFrom", "must not be before 2000-01-01");

    [Theory]
    [InlineData("source", null, "is required")]
    [InlineData("source", "", "must not be blank")]
    [InlineData("source", "   ", "must not be blank")]
    [InlineData("externalId", null, "is required")]
    [InlineData("externalId", "", "must not be blank")]
    [InlineData("externalId", "\t ", "must not be blank")]
    [InlineData("accountId", null, "must not be empty")]
    [InlineData("accountId", "", "must not be empty")]
    [InlineData("accountId", "  ", "must not be empty")]
    public void ShouldRejectAMissingOrBlankIdentifier(string field, string? value, string message) =>
        AssertRejected(With(field, value), field, message);

    [Theory]
    [InlineData("source", FactValidation.MaxSourceLength)]
    [InlineData("externalId", FactValidation.MaxExternalIdLength)]
    [InlineData("accountId", Abstractions.GrainKeys.MaxLocalIdLength)]
    public void ShouldRejectAnIdentifierOneCharacterTooLong(string field, int maxLength)
    {
        Assert.Empty(Validate(With(field, new string('x', maxLength))));
        AssertRejected(With(field, new string('x', maxLength + 1)), field, $"must be at most {maxLength} characters long");
    }

    [Theory]
    [InlineData("source", "bill\ning")]
    [InlineData("externalId", "ext\u00001")]
    [InlineData("accountId", "acc\t1")]
    [InlineData("supersedes", "ext\u007f0")]
    public void ShouldRejectControlCharactersInAnIdentifier(string field, string value) =>
        AssertRejected(With(field, value), field, "must not contain control characters");

    [Fact]
    public void ShouldRejectControlCharactersInPayloadText() =>
        AssertRejected(Examples.Draft(FactKind.AccountCreated, new AccountCreatedPayload("Acme\u0007", null, null)),
            "accountCreated.name", "must not contain control characters");

    [Fact]
    public void ShouldRejectACorrectionThatSupersedesItself() =>
        AssertRejected(Examples.Draft(FactKind.QbrHeld) with { Supersedes = "ext-1" }, "supersedes", "must name another fact than this one");

    [Fact]
    public void ShouldRejectABlankSupersedes() =>
        // Null means "not a correction"; an empty string is a mistake, not a way of saying so.
        AssertRejected(Examples.Draft(FactKind.QbrHeld) with { Supersedes = "" }, "supersedes", "must not be blank");

    [Fact]
    public void ShouldAcceptACorrectionOfAnotherFact() =>
        Assert.Empty(Validate(Examples.Draft(FactKind.QbrHeld) with { Supersedes = "ext-0" }));

    [Fact]
    public void ShouldRejectATicketResolvedBeforeItWasOpened() =>
        AssertRejected(Examples.Draft(FactKind.TicketResolved, new TicketResolvedPayload("T-1", Examples.OccurredAt.AddSeconds(1), 1)),
            "ticketResolved.openedAt", "must not be after the resolution (occurredAt)");

    [Fact]
    public void ShouldRejectAFirstResponseBeforeTheTicketWasOpened() =>
        AssertRejected(Examples.Draft(FactKind.TicketFirstResponse, new TicketFirstResponsePayload("T-1", Examples.OccurredAt.AddMinutes(1))),
            "ticketFirstResponse.openedAt", "must not be after the first response (occurredAt)");

    [Fact]
    public void ShouldAcceptATicketResolvedTheMomentItWasOpened() =>
        Assert.Empty(Validate(Examples.Draft(FactKind.TicketResolved, new TicketResolvedPayload("T-1", Examples.OccurredAt, 1))));

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void ShouldRejectContactsToResolveOutside1To10000(int contacts) =>
        AssertRejected(Examples.Draft(FactKind.TicketResolved, new TicketResolvedPayload("T-1", Examples.OccurredAt.AddHours(-1), contacts)),
            "ticketResolved.contacts", "must be 1 to 10,000");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void ShouldRejectAUsageCountOutside1To1000000(int count) =>
        AssertRejected(Examples.Draft(FactKind.UsageRecorded, new UsageRecordedPayload("user-1", "login", null, count)),
            "usageRecorded.count", "must be 1 to 1,000,000");

    [Fact]
    public void ShouldRequireAUserForTheActivatedMilestone() =>
        AssertRejected(Examples.Draft(FactKind.OnboardingMilestone, new OnboardingMilestonePayload(Milestones.Activated, null)),
            "onboardingMilestone.userId", "is required for the activated milestone");

    [Fact]
    public void ShouldRejectABlankUserForTheActivatedMilestone() =>
        AssertRejected(Examples.Draft(FactKind.OnboardingMilestone, new OnboardingMilestonePayload(Milestones.Activated, " ")),
            "onboardingMilestone.userId", "must not be blank");

    [Theory]
    [InlineData(Milestones.FirstValue)]
    [InlineData(Milestones.OnboardingCompleted)]
    [InlineData("kickoff_call")]
    public void ShouldAcceptAnAccountMilestoneWithoutAUser(string milestone) =>
        Assert.Empty(Validate(Examples.Draft(FactKind.OnboardingMilestone, new OnboardingMilestonePayload(milestone, null))));

    [Fact]
    public void ShouldRejectNoSeatChangeWithoutAPlanChange() =>
        AssertRejected(Examples.Draft(FactKind.SeatsChanged, new SeatsChangedPayload(0, null)),
            "seatsChanged.seatsDelta", "must not be 0 unless the plan changes");

    [Theory]
    [InlineData(0, "enterprise")]
    [InlineData(-3, null)]
    public void ShouldAcceptAPlanChangeWithoutSeatsOrSeatsRemoved(int delta, string? plan) =>
        Assert.Empty(Validate(Examples.Draft(FactKind.SeatsChanged, new SeatsChangedPayload(delta, plan))));

    [Fact]
    public void ShouldRejectAPayloadOfAnotherKind() =>
        // The problem is the kind's payload as a whole, so the path ends at the payload field, without a dangling dot.
        AssertRejected(Examples.Draft(FactKind.MrrChanged, new QbrHeldPayload("notes")),
            "mrrChanged", "a mrr.changed fact cannot carry a QbrHeldPayload");

    private const string CurrencyMessage = "must be a three-letter ISO 4217 code in capitals, e.g. USD";

    private static List<FactError> Validate(FactDraft draft) => FactValidation.Validate(draft, Index, Examples.Now).ToList();

    private static void AssertRejected(FactDraft draft, string field, string message) =>
        Assert.Equal(new FactError(Index, field, message), Assert.Single(Validate(draft)));

    private static FactDraft Mrr(MrrMovement movement, decimal amount, string currency = "USD") =>
        Examples.Draft(FactKind.MrrChanged, new MrrChangedPayload(movement, amount, currency));

    private static FactDraft Survey(SurveyType survey, int score) =>
        Examples.Draft(FactKind.SurveyResponded, new SurveyRespondedPayload(survey, score, null));

    private static FactDraft With(string field, string? value)
    {
        var draft = Examples.Draft(FactKind.QbrHeld);
        return field switch
        {
            // Callers outside C# (GraphQL, CSV import) can leave a non-nullable field null.
            "source" => draft with { Source = value! },
            "externalId" => draft with { ExternalId = value! },
            "accountId" => draft with { AccountId = value! },
            "supersedes" => draft with { Supersedes = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }
}

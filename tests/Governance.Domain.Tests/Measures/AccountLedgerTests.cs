using System.Text.Json;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using static Governance.Domain.Tests.Examples;

namespace Governance.Domain.Tests.Measures;

public sealed class AccountLedgerTests
{
    private static readonly int Jan = MonthKey.Of(2025, 1);
    private static readonly int Feb = MonthKey.Of(2025, 2);
    private static readonly int Mar = MonthKey.Of(2025, 3);
    private static readonly int Apr = MonthKey.Of(2025, 4);
    private static readonly int May = MonthKey.Of(2025, 5);

    /// <summary>December 2024 to August 2025: every month of <see cref="Story"/> and an empty one either side.</summary>
    private static readonly int[] StoryMonths = [.. Enumerable.Range(MonthKey.Of(2024, 12), 9)];

    /// <summary>A month with no measures: one zero per <see cref="Measure"/>.</summary>
    private static readonly long[] Nothing = new long[Enum.GetValues<Measure>().Length];

    private readonly LedgerFacts _facts = new();

    [Fact]
    public void ShouldSplitAMonthsMrrIntoNewExpansionAndContraction()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 1_000.50m, At(2025, 3, 1)),
            _facts.Mrr(MrrMovement.Expansion, 200m, At(2025, 3, 10)),
            _facts.Mrr(MrrMovement.Contraction, 50.25m, At(2025, 3, 20)));

        // 1,000.50 × 10,000 = 10,005,000; 200 × 10,000 = 2,000,000; 50.25 × 10,000 = 502,500.
        Assert.Equal(10_005_000, Get(ledger, Mar, Measure.MrrNew));
        Assert.Equal(2_000_000, Get(ledger, Mar, Measure.MrrExpansion));
        Assert.Equal(502_500, Get(ledger, Mar, Measure.MrrContraction));
        Assert.Equal(1_000.50m, Money.FromUnits(Get(ledger, Mar, Measure.MrrNew)));
        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersNew));
        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersDowngraded));
        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersExpanded));

        // 10,005,000 + 2,000,000 − 502,500 = 11,502,500, i.e. 1,150.25 USD at the end of March.
        Assert.Equal(11_502_500, ledger.ExportAll().MrrAtEnd(Mar));
    }

    [Fact]
    public void ShouldCountAnAccountExpandedOnceHoweverManyExpansionsItHadInAMonth()
    {
        // Customers expanded/downgraded count accounts, so a portfolio's sum is a number of customers.
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.Expansion, 10m, At(2025, 3, 1)),
            _facts.Mrr(MrrMovement.Expansion, 20m, At(2025, 3, 2)),
            _facts.Mrr(MrrMovement.Contraction, 5m, At(2025, 3, 3)),
            _facts.Mrr(MrrMovement.Contraction, 5m, At(2025, 3, 4)));

        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersExpanded));
        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersDowngraded));
        // (10 + 20) × 10,000 = 300,000; (5 + 5) × 10,000 = 100,000.
        Assert.Equal(300_000, Get(ledger, Mar, Measure.MrrExpansion));
        Assert.Equal(100_000, Get(ledger, Mar, Measure.MrrContraction));
    }

    [Fact]
    public void ShouldCarryMrrAndCustomersThroughChurnAndReactivation()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 500m, At(2025, 1, 15)),
            _facts.Mrr(MrrMovement.Churn, 500m, At(2025, 2, 28)),
            _facts.Mrr(MrrMovement.Reactivation, 300m, At(2025, 3, 3)));
        var measures = ledger.ExportAll();

        // January: 0 + 500 × 10,000 = 5,000,000. February: 5,000,000 − 5,000,000 = 0. March: 0 + 300 × 10,000 = 3,000,000.
        Assert.Equal(0, measures.MrrAtStart(Jan));
        Assert.Equal(5_000_000, measures.MrrAtEnd(Jan));
        Assert.Equal(5_000_000, measures.MrrAtStart(Feb));
        Assert.Equal(0, measures.MrrAtEnd(Feb));
        Assert.Equal(0, measures.MrrAtStart(Mar));
        Assert.Equal(3_000_000, measures.MrrAtEnd(Mar));
        // April has no facts: the level carries over.
        Assert.Equal(3_000_000, measures.MrrAtEnd(Apr));

        // Customers: January 0 + 1 = 1; February 1 − 1 = 0; March 0 + 1 = 1.
        Assert.Equal([1L, 0L, 1L], new[] { Jan, Feb, Mar }.Select(measures.CustomersAtEnd));
        Assert.Equal(0, measures.CustomersAtStart(Jan));
        Assert.Equal(5_000_000, Get(ledger, Feb, Measure.MrrChurned));
        Assert.Equal(1, Get(ledger, Feb, Measure.CustomersChurned));
        Assert.Equal(3_000_000, Get(ledger, Mar, Measure.MrrReactivated));
        Assert.Equal(1, Get(ledger, Mar, Measure.CustomersReactivated));
    }

    [Fact]
    public void ShouldRecordACustomerAcquiredAndChurnedInOneMonthInBothFlows()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 100m, At(2025, 4, 2)),
            _facts.Mrr(MrrMovement.Churn, 100m, At(2025, 4, 28)));
        var measures = ledger.ExportAll();

        // Both flows are kept so the running levels stay right: customers 0 + 1 − 1 = 0, MRR 1,000,000 − 1,000,000 = 0.
        // Such a customer was not among those at the start (0 here), which is what a churn rate has to
        // leave out: CustomersChurnedNew counts them (min(new 1, churned 1) = 1).
        Assert.Equal(1, Get(ledger, Apr, Measure.CustomersNew));
        Assert.Equal(1, Get(ledger, Apr, Measure.CustomersChurned));
        Assert.Equal(1, Get(ledger, Apr, Measure.CustomersChurnedNew));
        Assert.Equal(1_000_000, Get(ledger, Apr, Measure.MrrNew));
        Assert.Equal(1_000_000, Get(ledger, Apr, Measure.MrrChurned));
        Assert.Equal(0, measures.CustomersAtStart(Apr));
        Assert.Equal(0, measures.CustomersAtEnd(Apr));
        Assert.Equal(0, measures.MrrAtEnd(Apr));
    }

    [Fact]
    public void ShouldExportAllZerosForAMonthWithoutFacts()
    {
        var ledger = Ledger(_facts.Mrr(MrrMovement.New, 100m, At(2025, 1, 15)));

        Assert.Equal(Nothing, ledger.Export(Feb));
        Assert.Equal(Nothing, new AccountLedger().Export(Jan));
        Assert.Equal([Jan], ledger.Months.Keys);
    }

    [Fact]
    public void ShouldCountSeatsAddedAndRemovedApart()
    {
        var ledger = Ledger(
            _facts.Seats(10, At(2025, 2, 1), "pro"),
            _facts.Seats(-3, At(2025, 2, 10)),
            _facts.Seats(0, At(2025, 2, 20), "enterprise"));

        Assert.Equal(10, Get(ledger, Feb, Measure.SeatsAdded));
        Assert.Equal(3, Get(ledger, Feb, Measure.SeatsRemoved));
    }

    [Fact]
    public void ShouldSortNpsResponsesIntoPromotersPassivesAndDetractors()
    {
        var ledger = Ledger([.. Enumerable.Range(0, 11).Select(score => _facts.Survey(SurveyType.Nps, score, At(2025, 2, 1 + score)))]);

        // Scores 0–10 once each: promoters {9, 10} = 2, passives {7, 8} = 2, detractors {0 … 6} = 7; 2 + 2 + 7 = 11.
        Assert.Equal(11, Get(ledger, Feb, Measure.NpsResponses));
        Assert.Equal(2, Get(ledger, Feb, Measure.NpsPromoters));
        Assert.Equal(2, Get(ledger, Feb, Measure.NpsPassives));
        Assert.Equal(7, Get(ledger, Feb, Measure.NpsDetractors));
    }

    [Fact]
    public void ShouldCountCsatFourAndFiveAsSatisfiedAndSumTheScores()
    {
        var ledger = Ledger(
        [
            .. Enumerable.Range(1, 5).Select(score => _facts.Survey(SurveyType.Csat, score, At(2025, 2, score))),
            _facts.Survey(SurveyType.Ces, 2, At(2025, 2, 10)),
            _facts.Survey(SurveyType.Ces, 7, At(2025, 2, 11)),
        ]);

        // CSAT 1–5 once each: satisfied {4, 5} = 2, sum 1 + 2 + 3 + 4 + 5 = 15. CES 2 + 7 = 9 over 2 responses.
        Assert.Equal(5, Get(ledger, Feb, Measure.CsatResponses));
        Assert.Equal(2, Get(ledger, Feb, Measure.CsatSatisfied));
        Assert.Equal(15, Get(ledger, Feb, Measure.CsatScoreSum));
        Assert.Equal(2, Get(ledger, Feb, Measure.CesResponses));
        Assert.Equal(9, Get(ledger, Feb, Measure.CesScoreSum));
    }

    [Fact]
    public void ShouldMeasureTicketTimesInTheMonthOfTheResponseOrResolution()
    {
        var t1Opened = At(2025, 2, 3, 9, 0);
        var t2Opened = At(2025, 2, 27, 22, 0);
        var ledger = Ledger(
            _facts.TicketOpened("T-1", t1Opened),
            _facts.FirstResponse("T-1", t1Opened, At(2025, 2, 3, 9, 45)),
            _facts.Resolved("T-1", t1Opened, At(2025, 2, 4, 10, 30), contacts: 1),
            _facts.TicketOpened("T-2", t2Opened),
            _facts.Resolved("T-2", t2Opened, At(2025, 3, 1, 0, 0), contacts: 3));

        // T-1: first response 09:00 → 09:45 = 45 min; resolved 1 day 1 h 30 min later = 1,440 + 90 = 1,530 min, first contact.
        Assert.Equal(2, Get(ledger, Feb, Measure.TicketsOpened));
        Assert.Equal(1, Get(ledger, Feb, Measure.TicketsFirstResponded));
        Assert.Equal(45, Get(ledger, Feb, Measure.FirstResponseMinutesSum));
        Assert.Equal(1, Get(ledger, Feb, Measure.TicketsResolved));
        Assert.Equal(1_530, Get(ledger, Feb, Measure.ResolutionMinutesSum));
        Assert.Equal(1, Get(ledger, Feb, Measure.TicketsResolvedFirstContact));
        Assert.Equal(1, Get(ledger, Feb, Measure.TicketContactsSum));

        // T-2: 27 Feb 22:00 → 1 Mar 00:00 (2025 is not a leap year) = 24 h + 2 h = 1,560 min, resolved in March, 3 contacts.
        Assert.Equal(1, Get(ledger, Mar, Measure.TicketsResolved));
        Assert.Equal(1_560, Get(ledger, Mar, Measure.ResolutionMinutesSum));
        Assert.Equal(0, Get(ledger, Mar, Measure.TicketsResolvedFirstContact));
        Assert.Equal(3, Get(ledger, Mar, Measure.TicketContactsSum));
    }

    [Fact]
    public void ShouldCountDistinctActiveUsersFeatureUsersAndFeatures()
    {
        var ledger = Ledger(
            _facts.Usage("user-1", At(2025, 2, 1), count: 3),
            _facts.Usage("user-1", At(2025, 2, 2), count: 2),
            _facts.Usage("user-2", At(2025, 2, 3), "reports", 1),
            _facts.Usage("user-1", At(2025, 2, 4), "reports", 4),
            _facts.Usage("user-1", At(2025, 2, 5), "export", 1),
            _facts.Usage("user-3", At(2025, 2, 6), count: 1));

        // Events 3 + 2 + 1 + 4 + 1 + 1 = 12; users {1, 2, 3}; feature users {1, 2}; features {reports, export}.
        Assert.Equal(12, Get(ledger, Feb, Measure.UsageEvents));
        Assert.Equal(3, Get(ledger, Feb, Measure.ActiveUsers));
        Assert.Equal(2, Get(ledger, Feb, Measure.FeatureUsers));
        Assert.Equal(2, Get(ledger, Feb, Measure.FeaturesUsed));
    }

    [Fact]
    public void ShouldKeepAUserActiveWhileAnyOfTheirEventsRemains()
    {
        var first = _facts.Usage("user-1", At(2025, 2, 1), "reports", 3);
        var second = _facts.Usage("user-1", At(2025, 2, 2), "reports", 2);
        var ledger = Ledger(first, second);

        ledger.Apply(first, -1);

        // Taking back one of two events leaves 2 events by the same user on the same feature.
        Assert.Equal(2, Get(ledger, Feb, Measure.UsageEvents));
        Assert.Equal(1, Get(ledger, Feb, Measure.ActiveUsers));
        Assert.Equal(1, Get(ledger, Feb, Measure.FeatureUsers));
        Assert.Equal(1, Get(ledger, Feb, Measure.FeaturesUsed));
    }

    [Fact]
    public void ShouldCountEachActivatedUserOnce()
    {
        var ledger = Ledger(
            _facts.Milestone(Milestones.Activated, At(2025, 2, 1), "user-1"),
            _facts.Milestone(Milestones.Activated, At(2025, 2, 2), "user-1"),
            _facts.Milestone(Milestones.Activated, At(2025, 2, 3), "user-2"));

        Assert.Equal(2, Get(ledger, Feb, Measure.ActivatedUsers));
        Assert.Equal(3, Get(ledger, Feb, Measure.MilestonesCompleted));
    }

    [Fact]
    public void ShouldCountOnboardingCompletedOncePerMonth()
    {
        var ledger = Ledger(
            _facts.Milestone(Milestones.OnboardingCompleted, At(2025, 2, 1)),
            _facts.Milestone(Milestones.OnboardingCompleted, At(2025, 2, 20)),
            _facts.Milestone(Milestones.OnboardingCompleted, At(2025, 3, 5)));

        Assert.Equal(1, Get(ledger, Feb, Measure.OnboardingsCompleted));
        Assert.Equal(2, Get(ledger, Feb, Measure.MilestonesCompleted));
        Assert.Equal(1, Get(ledger, Mar, Measure.OnboardingsCompleted));
    }

    [Fact]
    public void ShouldMeasureTimeToValueFromCreationToTheEarliestFirstValue()
    {
        var ledger = Ledger(
            _facts.Created(At(2025, 1, 10)),
            _facts.Milestone(Milestones.FirstValue, At(2025, 3, 1)));

        // 10 Jan → 1 Mar: 21 days left in January + 28 in February + 1 = 50 days, reported in March.
        Assert.Equal(50, Get(ledger, Mar, Measure.TimeToValueDaysSum));
        Assert.Equal(1, Get(ledger, Mar, Measure.TimeToValueCount));

        var earlier = _facts.Milestone(Milestones.FirstValue, At(2025, 2, 14));
        var touched = ledger.Apply(earlier);

        // A first value on 14 Feb arrives late: 21 + 14 = 35 days, now reported in February, and March loses it.
        Assert.Equal(35, Get(ledger, Feb, Measure.TimeToValueDaysSum));
        Assert.Equal(1, Get(ledger, Feb, Measure.TimeToValueCount));
        Assert.Equal(0, Get(ledger, Mar, Measure.TimeToValueDaysSum));
        Assert.Equal(0, Get(ledger, Mar, Measure.TimeToValueCount));
        Assert.Equal(1, Get(ledger, Mar, Measure.MilestonesCompleted));
        Assert.Equal([Feb, Mar], touched.Order());

        // Taking the early one back (a correction) returns the 50 days to March.
        ledger.Apply(earlier, -1);
        Assert.Equal(50, Get(ledger, Mar, Measure.TimeToValueDaysSum));
        Assert.Equal(0, Get(ledger, Feb, Measure.TimeToValueCount));
    }

    [Fact]
    public void ShouldMeasureTimeToValueWhenTheCreationArrivesAfterTheFirstValue()
    {
        var firstValue = _facts.Milestone(Milestones.FirstValue, At(2025, 2, 14));
        var ledger = Ledger(firstValue);
        Assert.Equal(0, Get(ledger, Feb, Measure.TimeToValueCount));

        var touched = ledger.Apply(_facts.Created(At(2025, 1, 10)));

        // 10 Jan → 14 Feb = 21 + 14 = 35 days; February's export changed although the fact is January's.
        Assert.Equal(35, Get(ledger, Feb, Measure.TimeToValueDaysSum));
        Assert.Contains(Feb, touched);
    }

    [Fact]
    public void ShouldCountRenewalsReferralsAndQbrs()
    {
        var ledger = Ledger(
            _facts.Of(FactKind.RenewalDue, new RenewalPayload(1_200.50m, "USD"), At(2025, 4, 1)),
            _facts.Of(FactKind.RenewalDue, new RenewalPayload(null, null), At(2025, 4, 2)),
            _facts.Of(FactKind.RenewalRenewed, new RenewalPayload(1_200.50m, "USD"), At(2025, 4, 10)),
            _facts.Of(FactKind.RenewalLost, new RenewalPayload(300m, "USD"), At(2025, 4, 11)),
            _facts.Of(FactKind.ReferralMade, new ReferralPayload("ref-1"), At(2025, 4, 12)),
            _facts.Of(FactKind.ReferralMade, new ReferralPayload(null), At(2025, 4, 13)),
            _facts.Of(FactKind.ReferralConverted, new ReferralPayload("ref-1"), At(2025, 4, 20)),
            _facts.Of(FactKind.QbrHeld, new QbrHeldPayload("adoption review"), At(2025, 4, 25)));

        // 1,200.50 × 10,000 = 12,005,000; a renewal without an amount adds to the count only.
        Assert.Equal(2, Get(ledger, Apr, Measure.RenewalsDue));
        Assert.Equal(12_005_000, Get(ledger, Apr, Measure.RenewalMrrDue));
        Assert.Equal(1, Get(ledger, Apr, Measure.RenewalsRenewed));
        Assert.Equal(12_005_000, Get(ledger, Apr, Measure.RenewalMrrRenewed));
        Assert.Equal(1, Get(ledger, Apr, Measure.RenewalsLost));
        Assert.Equal(2, Get(ledger, Apr, Measure.ReferralsMade));
        Assert.Equal(1, Get(ledger, Apr, Measure.ReferralsConverted));
        Assert.Equal(1, Get(ledger, Apr, Measure.QbrsHeld));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ShouldExportTheSameMeasuresWhateverTheOrderFactsArriveIn(int seed)
    {
        // Fixed seeds: a failing order can be replayed.
        var story = Story(_facts);
        var random = new Random(seed);
        var inOrder = Ledger([.. story]);
        var reversed = Ledger([.. Enumerable.Reverse(story)]);
        var shuffled = Ledger([.. story.OrderBy(_ => random.Next())]);

        AssertSameMeasures(inOrder, reversed);
        AssertSameMeasures(inOrder, shuffled);
        // The late facts (highest ids) land in January, not in the month they arrived in.
        Assert.Equal(1, Get(inOrder, Jan, Measure.NpsDetractors));
        Assert.Equal(2, Get(inOrder, Jan, Measure.FeaturesUsed));
    }

    [Fact]
    public void ShouldReturnToNothingWhenEveryFactIsTakenBack()
    {
        var story = Story(_facts);
        var ledger = Ledger([.. story]);
        Assert.NotEmpty(ledger.Months);

        // Taken back in the order they were applied, the hardest order: the creation goes first.
        foreach (var fact in story)
        {
            ledger.Apply(fact, -1);
        }

        AssertEmpty(ledger);
    }

    [Fact]
    public void ShouldReturnToNothingWhenEveryFactIsTakenBackInReverse()
    {
        var story = Story(_facts);
        var ledger = Ledger([.. story]);

        foreach (var fact in Enumerable.Reverse(story))
        {
            ledger.Apply(fact, -1);
        }

        AssertEmpty(ledger);
    }

    [Fact]
    public void ShouldReportEveryMonthWhoseExportOrOwnerChanged()
    {
        // The grain re-exports only the months Apply returns: one it missed would stay stale.
        var ledger = new AccountLedger();
        var story = Story(_facts);
        foreach (var (fact, sign) in story.Select(f => (f, 1)).Concat(story.Select(f => (f, -1))))
        {
            var before = Snapshot(ledger);
            var touched = ledger.Apply(fact, sign);
            var after = Snapshot(ledger);

            var changed = StoryMonths.Where(m => !before[m].Export.SequenceEqual(after[m].Export)
                || (before[m].Owner != after[m].Owner && ledger.Months.ContainsKey(m)));
            Assert.Empty(changed.Except(touched));
        }
    }

    [Fact]
    public void ShouldMoveAnNpsResponseFromDetractorsToPromotersWhenCorrected()
    {
        var wrong = _facts.Survey(SurveyType.Nps, 3, At(2025, 2, 10));
        var ledger = Ledger(wrong);

        var touched = ledger.Apply(_facts.Of(FactKind.SurveyResponded, new SurveyRespondedPayload(SurveyType.Nps, 9, null), At(2025, 2, 10), wrong));

        Assert.Equal(1, Get(ledger, Feb, Measure.NpsResponses));
        Assert.Equal(1, Get(ledger, Feb, Measure.NpsPromoters));
        Assert.Equal(0, Get(ledger, Feb, Measure.NpsDetractors));
        Assert.Equal([Feb], touched);
    }

    [Fact]
    public void ShouldReplaceACorrectedMrrAmountExactly()
    {
        var wrong = _facts.Mrr(MrrMovement.New, 1_000m, At(2025, 1, 15));
        var ledger = Ledger(wrong);

        ledger.Apply(_facts.Of(FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.New, 1_100m, "USD"), At(2025, 1, 15), wrong));

        // 1,100 × 10,000 = 11,000,000, and still one new customer, not two.
        Assert.Equal(11_000_000, Get(ledger, Jan, Measure.MrrNew));
        Assert.Equal(1, Get(ledger, Jan, Measure.CustomersNew));
        Assert.Equal(11_000_000, ledger.ExportAll().MrrAtEnd(Jan));
    }

    [Fact]
    public void ShouldMoveACorrectedFactToItsNewMonth()
    {
        var wrong = _facts.Usage("user-1", At(2025, 1, 31), "reports", 2);
        var ledger = Ledger(_facts.Created(At(2025, 1, 1)), wrong);

        var touched = ledger.Apply(_facts.Of(FactKind.UsageRecorded, new UsageRecordedPayload("user-1", "event", "reports", 2), At(2025, 2, 1), wrong));

        Assert.Equal(0, Get(ledger, Jan, Measure.UsageEvents));
        Assert.Equal(0, Get(ledger, Jan, Measure.ActiveUsers));
        Assert.Equal(1, Get(ledger, Jan, Measure.AccountsCreated));
        Assert.Equal(2, Get(ledger, Feb, Measure.UsageEvents));
        Assert.Equal(1, Get(ledger, Feb, Measure.ActiveUsers));
        Assert.Equal([Jan, Feb], touched.Order());
    }

    [Fact]
    public void ShouldEndACorrectionWhereTheCorrectedFactAloneWouldHaveLed()
    {
        var facts = new LedgerFacts();
        var wrong = facts.Resolved("T-1", At(2025, 3, 1, 9, 0), At(2025, 3, 1, 10, 0), contacts: 1);
        var right = facts.Of(FactKind.TicketResolved, new TicketResolvedPayload("T-1", At(2025, 3, 1, 9, 0), 2), At(2025, 3, 2, 9, 0), wrong);
        var corrected = Ledger(wrong, right);
        var direct = Ledger(right with { Supersedes = null });

        AssertSameMeasures(direct, corrected);
    }

    [Fact]
    public void ShouldReplaceACorrectedCreationWithItsOwnerAndTimeToValue()
    {
        var wrong = _facts.Created(At(2025, 1, 10), owner: "exec-1");
        var ledger = Ledger(wrong, _facts.Milestone(Milestones.FirstValue, At(2025, 3, 1)));
        var right = _facts.Of(FactKind.AccountCreated, new AccountCreatedPayload("Acme Corp", "enterprise", "exec-9"), At(2025, 2, 1), wrong);

        ledger.Apply(right);

        // Time to value now counts from 1 Feb: 28 days to 1 Mar, not 50; January has no owner any more.
        Assert.Equal(28, Get(ledger, Mar, Measure.TimeToValueDaysSum));
        Assert.Null(ledger.OwnerOf(Jan));
        Assert.Equal("exec-9", ledger.OwnerOf(Feb));
        Assert.Equal(right.FactId, ledger.Profile.CreatedFactId);
        Assert.Equal(At(2025, 2, 1), ledger.Profile.CreatedAt);
    }

    [Fact]
    public void ShouldGiveTheAccountToItsCreationOwnerFromTheCreationMonth()
    {
        var ledger = Ledger(_facts.Created(At(2025, 2, 3), owner: "exec-1"));

        Assert.Null(ledger.OwnerOf(Jan));
        Assert.Equal("exec-1", ledger.OwnerOf(Feb));
        Assert.Equal("exec-1", ledger.OwnerOf(May));
    }

    [Fact]
    public void ShouldMoveOwnershipFromTheMonthOfTheEffectiveDateOn()
    {
        var ledger = Ledger(
            _facts.Created(At(2025, 2, 3), owner: "exec-1"),
            _facts.Mrr(MrrMovement.New, 100m, At(2025, 2, 3)),
            _facts.Survey(SurveyType.Nps, 9, At(2025, 3, 2)),
            _facts.Mrr(MrrMovement.Expansion, 10m, At(2025, 4, 2)),
            _facts.Survey(SurveyType.Nps, 10, At(2025, 5, 2)));
        var assigned = _facts.Assigned("exec-2", new DateOnly(2025, 3, 15), At(2025, 3, 16));

        var touched = ledger.Apply(assigned);

        // Effective mid-March: the whole of March moves, February stays with the creation owner.
        Assert.Equal("exec-1", ledger.OwnerOf(Feb));
        Assert.Equal("exec-2", ledger.OwnerOf(Mar));
        Assert.Equal("exec-2", ledger.OwnerOf(May));
        Assert.Equal([Mar, Apr, May], touched.Order());

        ledger.Apply(assigned, -1);
        Assert.Equal("exec-1", ledger.OwnerOf(Mar));
    }

    [Fact]
    public void ShouldLetTheLaterAssignmentOfAMonthWinWhateverTheOrder()
    {
        var first = _facts.Assigned("exec-2", new DateOnly(2025, 3, 1), At(2025, 3, 1));
        var second = _facts.Assigned("exec-3", new DateOnly(2025, 3, 20), At(2025, 3, 20));

        // Both are effective in March; ties go to the later fact (higher id), as the store orders them.
        Assert.Equal("exec-3", Ledger(first, second).OwnerOf(Mar));
        Assert.Equal("exec-3", Ledger(second, first).OwnerOf(Mar));
    }

    [Fact]
    public void ShouldSurviveAJsonRoundTripAsTheGrainSnapshotsIt()
    {
        var story = Story(_facts);
        var original = Ledger([.. story]);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var restored = JsonSerializer.Deserialize<AccountLedger>(JsonSerializer.Serialize(original, options), options)!;

        AssertSameMeasures(original, restored);
        Assert.Equal(original.Profile, restored.Profile);
    }

    [Fact]
    public void ShouldKeepApplyingFactsAfterAJsonRoundTrip()
    {
        // A restored snapshot is then fed the facts past its watermark and later corrections.
        var story = Story(_facts);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var half = Ledger([.. story.Take(story.Count / 2)]);

        var restored = JsonSerializer.Deserialize<AccountLedger>(JsonSerializer.Serialize(half, options), options)!;
        foreach (var fact in story.Skip(story.Count / 2))
        {
            restored.Apply(fact);
        }

        AssertSameMeasures(Ledger([.. story]), restored);

        foreach (var fact in story)
        {
            restored.Apply(fact, -1);
        }

        AssertEmpty(restored);
    }

    /// <summary>
    /// Facts of every kind over January–July 2025 (June left empty). The last three are late: they
    /// arrive with the highest ids but happened in January, one of them an earlier first value.
    /// </summary>
    private static List<StoredFact> Story(LedgerFacts f) =>
    [
        f.Created(At(2025, 1, 10), owner: "exec-1"),
        f.Mrr(MrrMovement.New, 1_000.50m, At(2025, 1, 10, 9)),
        f.Seats(10, At(2025, 1, 10, 9), "pro"),
        f.Usage("user-1", At(2025, 1, 12), "reports", 3),
        f.Usage("user-2", At(2025, 1, 13)),
        f.Milestone(Milestones.Activated, At(2025, 1, 12), "user-1"),
        f.Milestone(Milestones.OnboardingCompleted, At(2025, 1, 20)),
        f.Milestone(Milestones.FirstValue, At(2025, 2, 14)),
        f.Survey(SurveyType.Nps, 9, At(2025, 2, 1)),
        f.Survey(SurveyType.Csat, 4, At(2025, 2, 2)),
        f.Survey(SurveyType.Ces, 3, At(2025, 2, 3)),
        f.TicketOpened("T-1", At(2025, 2, 27, 9)),
        f.FirstResponse("T-1", At(2025, 2, 27, 9), At(2025, 2, 27, 10)),
        f.Resolved("T-1", At(2025, 2, 27, 9), At(2025, 3, 1, 9), 2),
        f.Mrr(MrrMovement.Expansion, 200m, At(2025, 3, 5)),
        f.Mrr(MrrMovement.Contraction, 50.25m, At(2025, 3, 6)),
        f.Seats(-2, At(2025, 3, 5)),
        f.Assigned("exec-2", new DateOnly(2025, 3, 15), At(2025, 3, 16)),
        f.Of(FactKind.RenewalDue, new RenewalPayload(1_150.25m, "USD"), At(2025, 3, 20)),
        f.Of(FactKind.RenewalRenewed, new RenewalPayload(1_150.25m, "USD"), At(2025, 4, 1)),
        f.Of(FactKind.ReferralMade, new ReferralPayload("ref-1"), At(2025, 4, 2)),
        f.Of(FactKind.ReferralConverted, new ReferralPayload("ref-1"), At(2025, 4, 20)),
        f.Of(FactKind.QbrHeld, new QbrHeldPayload(null), At(2025, 4, 25)),
        f.Of(FactKind.RenewalLost, new RenewalPayload(null, null), At(2025, 5, 30)),
        f.Mrr(MrrMovement.Churn, 1_150.25m, At(2025, 5, 31, 23)),
        f.Of(FactKind.AccountClosed, new AccountClosedPayload("budget"), At(2025, 5, 31, 23)),
        f.Mrr(MrrMovement.Reactivation, 900m, At(2025, 7, 1)),
        f.Survey(SurveyType.Nps, 2, At(2025, 1, 31, 23)),
        f.Milestone(Milestones.FirstValue, At(2025, 1, 25)),
        f.Usage("user-1", At(2025, 1, 30), "export"),
    ];

    private static AccountLedger Ledger(params StoredFact[] facts)
    {
        var ledger = new AccountLedger();
        foreach (var fact in facts)
        {
            ledger.Apply(fact);
        }

        return ledger;
    }

    private static long Get(AccountLedger ledger, int month, Measure measure) => ledger.Export(month)[(int)measure];

    private static Dictionary<int, (long[] Export, string? Owner)> Snapshot(AccountLedger ledger) =>
        StoryMonths.ToDictionary(m => m, m => (ledger.Export(m), ledger.OwnerOf(m)));

    private static void AssertSameMeasures(AccountLedger expected, AccountLedger actual)
    {
        foreach (var month in StoryMonths)
        {
            Assert.True(expected.Export(month).SequenceEqual(actual.Export(month)), $"Measures of {MonthKey.Format(month)} differ.");
            Assert.Equal(expected.OwnerOf(month), actual.OwnerOf(month));
        }

        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.Months.Keys, actual.Months.Keys);
        Assert.Equal(expected.ExportAll().Months.Keys, actual.ExportAll().Months.Keys);
    }

    private static void AssertEmpty(AccountLedger ledger)
    {
        Assert.All(StoryMonths, month => Assert.Equal(Nothing, ledger.Export(month)));
        Assert.Empty(ledger.Months);
        Assert.Empty(ledger.ExportAll().Months);
        Assert.Empty(ledger.Assignments);
        Assert.Empty(ledger.FirstValueAt);
        Assert.Equal(new AccountProfile(), ledger.Profile);
    }

    [Fact]
    public void ShouldNotCountAChurnOfACustomerFromAnEarlierMonthAsChurnedNew()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 100m, At(2025, 3, 2)),
            _facts.Mrr(MrrMovement.Churn, 100m, At(2025, 4, 28)));

        Assert.Equal(1, Get(ledger, Apr, Measure.CustomersChurned));
        Assert.Equal(0, Get(ledger, Apr, Measure.CustomersChurnedNew));
    }

    [Fact]
    public void ShouldRestoreTheCorrectedFactWhenTheCorrectionIsTakenBack()
    {
        var original = _facts.Survey(SurveyType.Nps, 3, At(2025, 4, 10));
        var correction = _facts.Of(FactKind.SurveyResponded, new SurveyRespondedPayload(SurveyType.Nps, 9, null), At(2025, 4, 10), supersedes: original);
        var ledger = Ledger(original, correction);

        ledger.Apply(correction, -1);

        // Back to the original alone: one detractor, no promoter.
        Assert.Equal(1, Get(ledger, Apr, Measure.NpsDetractors));
        Assert.Equal(0, Get(ledger, Apr, Measure.NpsPromoters));
        Assert.Equal(1, Get(ledger, Apr, Measure.NpsResponses));
    }

    [Fact]
    public void ShouldMeasureTimeToValueFromTheFirstValueAfterCreationIgnoringAnEarlierOne()
    {
        // A first_value dated before the account existed is a data error; the next one still counts:
        // created 1 April, first values 20 March (ignored) and 11 April → 10 days, in April.
        var ledger = Ledger(
            _facts.Created(At(2025, 4, 1)),
            _facts.Milestone(Milestones.FirstValue, At(2025, 3, 20)),
            _facts.Milestone(Milestones.FirstValue, At(2025, 4, 11)));

        Assert.Equal(10, Get(ledger, Apr, Measure.TimeToValueDaysSum));
        Assert.Equal(1, Get(ledger, Apr, Measure.TimeToValueCount));
    }
}

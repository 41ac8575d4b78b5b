using Governance.Domain.Facts;

namespace Governance.Benchmarks.Synthetic;

/// <summary>
/// A deterministic synthetic tenant: accounts with a size, a segment, an owner among
/// <see cref="Executives"/> executives, growth over the months (most accounts exist from the first
/// month, the rest arrive later), churn (which takes the account's whole MRR) and reactivation, and a realistic mix of facts. usage.recorded
/// fills whatever the other kinds leave of the requested total (about 70 %), spread over active
/// account-months by account size, so the total is exactly the requested number.
/// Facts are produced per account and month on demand; nothing holds the whole data set.
/// </summary>
public sealed class SyntheticTenant
{
    /// <summary>Executives owning the accounts unless told otherwise (<c>--executives</c>).</summary>
    public const int DefaultExecutives = 50;

    private const string Currency = "USD";
    private const int UsageJitterStream = 1_000_000;

    private static readonly string[] UsageEvents =
        ["session.started", "report.viewed", "dashboard.opened", "export.created", "search.run", "record.created",
         "record.updated", "comment.added", "file.uploaded", "integration.synced", "alert.acknowledged", "invite.sent"];

    private static readonly string[] Features =
        ["reports", "dashboards", "exports", "search", "automation", "integrations", "alerts", "collaboration"];

    private readonly int _seed;
    private readonly AccountProfile[] _accounts;
    private readonly int[] _usage;
    private readonly double _ticketsPerAccountMonth;
    private readonly double _surveysPerAccountMonth;

    /// <summary>Per account, the MRR its churn movement removes: its level when it churns (0 for accounts that never churn).</summary>
    private readonly decimal[] _mrrAtChurn;

    public SyntheticTenant(int accounts, int months, long facts, DateOnly start, int seed, int executives = DefaultExecutives)
    {
        Accounts = accounts;
        Months = months;
        Executives = executives;
        Start = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        _seed = seed;
        _accounts = Enumerable.Range(0, accounts).Select(CreateProfile).ToArray();
        _usage = new int[accounts * months];
        _mrrAtChurn = new decimal[accounts];

        // Tickets and surveys scale with the density asked for, so the mix stays near 70 % usage at any size.
        var activeMonths = 0L;
        for (var a = 0; a < accounts; a++)
        {
            for (var m = 0; m < months; m++)
            {
                activeMonths += IsActive(a, m) ? 1 : 0;
            }
        }

        var density = (double)facts / Math.Max(1, activeMonths);
        var volume = Math.Max(0, (0.30 * density) - 0.8);
        _ticketsPerAccountMonth = 0.75 * volume / 2.85; // a ticket is ~2.85 facts: opened, first response, resolved, sometimes a CSAT
        _surveysPerAccountMonth = 0.25 * volume;

        // A churn takes the account's whole MRR: its starting MRR plus the expansions and minus the
        // contractions before it (a churned account left with MRR would still count as paying). The
        // months before the churn month never read _mrrAtChurn, and their MRR facts do not depend on
        // the usage count, so they are generated here to sum them.
        var before = new List<FactDraft>();
        for (var a = 0; a < accounts; a++)
        {
            var p = _accounts[a];
            if (p.ChurnMonth < 0)
            {
                continue;
            }

            var level = 0m;
            for (var m = p.CreatedMonth; m < p.ChurnMonth; m++)
            {
                before.Clear();
                GenerateMonth(a, m, usageFacts: 0, before);
                level += before.Sum(f => f.Payload is MrrChangedPayload mrr ? mrr.Movement is MrrMovement.Contraction or MrrMovement.Churn ? -mrr.Amount : mrr.Amount : 0m);
            }

            // A level at or below zero would need more contractions than the generator ever draws; keep the amount valid anyway.
            _mrrAtChurn[a] = level > 0 ? level : p.Mrr;
        }

        var otherFacts = (long)accounts;
        var scratch = new List<FactDraft>();
        for (var a = 0; a < accounts; a++)
        {
            for (var m = 0; m < months; m++)
            {
                if (IsActive(a, m))
                {
                    scratch.Clear();
                    GenerateMonth(a, m, usageFacts: 0, scratch);
                    otherFacts += scratch.Count;
                }
            }
        }

        // The rest is usage, spread by account size with some month-to-month jitter. Rounding the running
        // sum keeps the total exact.
        var budget = Math.Max(0, facts - otherFacts);
        var weights = new double[accounts * months];
        var total = 0.0;
        for (var a = 0; a < accounts; a++)
        {
            var jitter = Rng.For(seed, a, UsageJitterStream);
            for (var m = 0; m < months; m++)
            {
                var factor = Math.Exp((0.3 * jitter.Normal()) - 0.045);
                if (IsActive(a, m))
                {
                    weights[(a * months) + m] = _accounts[a].Weight * factor;
                    total += weights[(a * months) + m];
                }
            }
        }

        var running = 0.0;
        var assigned = 0L;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            running += weights[i] / total * budget;
            var upTo = (long)Math.Round(running);
            _usage[i] = (int)(upTo - assigned);
            assigned = upTo;
        }

        TotalFacts = otherFacts + assigned;
    }

    public int Accounts { get; }

    public int Months { get; }

    /// <summary>Executives the accounts are spread over (<see cref="ExecutiveId"/> 1 to this).</summary>
    public int Executives { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Exactly the number asked for, unless the other kinds alone exceed it.</summary>
    public long TotalFacts { get; }

    public static string AccountId(int account) => $"acc-{account:D6}";

    /// <summary>Parses <see cref="AccountId"/> back, for routing facts to tenants.</summary>
    public static int AccountIndex(ReadOnlySpan<char> accountId) => int.Parse(accountId[4..]);

    public static string ExecutiveId(int executive) => $"exec-{executive + 1:D2}";

    /// <summary>The account.created facts of every account, which must be stored before anything else about them.</summary>
    public IEnumerable<FactDraft> CreatedFacts() => Enumerable.Range(0, Accounts).Select(Created);

    /// <summary>Everything else, month by month, each month account by account.</summary>
    public IEnumerable<FactDraft> ActivityFacts()
    {
        var buffer = new List<FactDraft>();
        for (var m = 0; m < Months; m++)
        {
            for (var a = 0; a < Accounts; a++)
            {
                if (!IsActive(a, m))
                {
                    continue;
                }

                buffer.Clear();
                GenerateMonth(a, m, _usage[(a * Months) + m], buffer);
                foreach (var fact in buffer)
                {
                    yield return fact;
                }
            }
        }
    }

    /// <summary>All facts in the order they are sent: account.created first, then the activity.</summary>
    public IEnumerable<FactDraft> AllFacts() => CreatedFacts().Concat(ActivityFacts());

    /// <summary>One account's facts, month by month (the first list starts with account.created), exactly as in the stream.</summary>
    public IEnumerable<List<FactDraft>> AccountFactsByMonth(int account)
    {
        for (var m = 0; m < Months; m++)
        {
            if (!IsActive(account, m))
            {
                continue;
            }

            var month = new List<FactDraft>();
            if (m == _accounts[account].CreatedMonth)
            {
                month.Add(Created(account));
            }

            GenerateMonth(account, m, _usage[(account * Months) + m], month);
            yield return month;
        }
    }

    private bool IsActive(int account, int month)
    {
        var p = _accounts[account];
        if (month < p.CreatedMonth)
        {
            return false;
        }

        var churnedAway = p.ChurnMonth >= 0 && month > p.ChurnMonth && (p.ReactivateMonth < 0 || month < p.ReactivateMonth);
        return !churnedAway;
    }

    private AccountProfile CreateProfile(int account)
    {
        var rng = Rng.For(_seed, account, -1);

        // Most of the book exists when the history starts; the rest arrives evenly over the months.
        var createdMonth = Months == 1 || rng.Chance(0.55) ? 0 : rng.Next(1, Months);
        var monthStart = Start.AddMonths(createdMonth);
        var monthSeconds = (monthStart.AddMonths(1) - monthStart).TotalSeconds;
        var createdAt = monthStart.AddSeconds(Math.Floor(rng.Uniform(0, 0.85) * monthSeconds));

        var segmentRoll = rng.NextDouble();
        var (segment, plan, mrrLow, mrrHigh, sizeBoost) = segmentRoll switch
        {
            < 0.60 => ("smb", "starter", 49m, 500m, 0.6),
            < 0.90 => ("mid-market", "growth", 500m, 3_000m, 1.3),
            _ => ("enterprise", "enterprise", 3_000m, 30_000m, 2.6),
        };

        // Sizes are skewed: a few large accounts send much of the usage.
        var weight = Math.Min(20, sizeBoost * Math.Exp((0.8 * rng.Normal()) - 0.32));
        var mrr = Math.Round(mrrLow + ((mrrHigh - mrrLow) * (decimal)rng.NextDouble()), 2);

        // About 1 % churn a month; a fifth of the churned come back two to six months later.
        var churnMonth = -1;
        for (var m = createdMonth + 2; m < Months; m++)
        {
            if (rng.Chance(0.01))
            {
                churnMonth = m;
                break;
            }
        }

        var reactivateMonth = churnMonth >= 0 && rng.Chance(0.2) ? churnMonth + rng.Next(2, 7) : -1;
        if (reactivateMonth >= Months)
        {
            reactivateMonth = -1;
        }

        var onboardingRoll = rng.NextDouble();
        var firstValueRoll = rng.NextDouble();
        return new AccountProfile
        {
            CreatedMonth = createdMonth,
            CreatedAt = createdAt,
            ChurnMonth = churnMonth,
            ReactivateMonth = reactivateMonth,
            Weight = weight,
            Segment = segment,
            Plan = plan,
            Executive = rng.Next(Executives),
            Mrr = mrr,
            Seats = Math.Max(1, (int)(weight * 12)),
            Users = 3 + (int)(weight * 25),
            OnboardingMonthOffset = onboardingRoll < 0.6 ? 0 : onboardingRoll < 0.85 ? 1 : -1,
            FirstValueMonthOffset = firstValueRoll < 0.5 ? 0 : firstValueRoll < 0.8 ? 1 : firstValueRoll < 0.9 ? 2 : -1,
        };
    }

    private FactDraft Created(int account)
    {
        var p = _accounts[account];
        var id = AccountId(account);
        return new FactDraft("crm", $"created-{id}", id, p.CreatedAt, null, FactKind.AccountCreated,
            new AccountCreatedPayload($"Customer {account:D6}", p.Segment, ExecutiveId(p.Executive)));
    }

    /// <summary>
    /// One account's facts of one month, except account.created. The non-usage facts come first from the
    /// generator, so they are the same whatever the usage count (the constructor counts them that way).
    /// </summary>
    private void GenerateMonth(int account, int month, int usageFacts, List<FactDraft> into)
    {
        var p = _accounts[account];
        var rng = Rng.For(_seed, account, month);
        var accountId = AccountId(account);
        var monthStart = Start.AddMonths(month);
        var monthEnd = monthStart.AddMonths(1).AddSeconds(-1);
        var from = month == p.CreatedMonth ? p.CreatedAt.AddMinutes(1) : monthStart;
        var age = month - p.CreatedMonth;
        var sequence = 0;

        DateTimeOffset At(ref Rng r) => from.AddSeconds(Math.Floor(r.NextDouble() * (monthEnd - from).TotalSeconds));
        DateTimeOffset Clamp(DateTimeOffset t) => t > monthEnd ? monthEnd : t;
        string Id(string prefix) => $"{prefix}-{accountId}-{month:D3}-{sequence++:D5}";
        void Add(string source, string prefix, DateTimeOffset at, FactKind kind, FactPayload payload) =>
            into.Add(new FactDraft(source, Id(prefix), accountId, at, null, kind, payload));

        if (age == 0)
        {
            Add("billing", "mrr", At(ref rng), FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.New, p.Mrr, Currency));
            Add("billing", "seats", At(ref rng), FactKind.SeatsChanged, new SeatsChangedPayload(p.Seats, p.Plan));
            Add("product", "onb", At(ref rng), FactKind.OnboardingMilestone, new OnboardingMilestonePayload("kickoff", null));
            var activated = Math.Min(p.Users, rng.Next(2, 7));
            for (var u = 0; u < activated; u++)
            {
                Add("product", "onb", At(ref rng), FactKind.OnboardingMilestone, new OnboardingMilestonePayload(Milestones.Activated, $"user-{u}"));
            }
        }

        if (age == p.OnboardingMonthOffset)
        {
            Add("product", "onb", At(ref rng), FactKind.OnboardingMilestone, new OnboardingMilestonePayload(Milestones.OnboardingCompleted, null));
        }

        if (age == p.FirstValueMonthOffset)
        {
            Add("product", "onb", At(ref rng), FactKind.OnboardingMilestone, new OnboardingMilestonePayload(Milestones.FirstValue, null));
        }

        if (month == p.ChurnMonth)
        {
            Add("billing", "mrr", At(ref rng), FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.Churn, _mrrAtChurn[account], Currency));
            if (p.ReactivateMonth < 0)
            {
                Add("crm", "closed", monthEnd, FactKind.AccountClosed, new AccountClosedPayload("churned"));
            }
        }
        else if (month == p.ReactivateMonth)
        {
            Add("billing", "mrr", At(ref rng), FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.Reactivation, p.Mrr, Currency));
        }
        else if (age > 0)
        {
            if (rng.Chance(0.03))
            {
                Add("billing", "mrr", At(ref rng), FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.Expansion, Math.Round(p.Mrr * (decimal)rng.Uniform(0.05, 0.3), 2), Currency));
            }

            if (rng.Chance(0.015))
            {
                Add("billing", "mrr", At(ref rng), FactKind.MrrChanged, new MrrChangedPayload(MrrMovement.Contraction, Math.Round(p.Mrr * (decimal)rng.Uniform(0.05, 0.25), 2), Currency));
            }
        }

        if (age > 0 && rng.Chance(0.05))
        {
            var delta = rng.Next(1, 11) * (rng.Chance(0.7) ? 1 : -1);
            Add("billing", "seats", At(ref rng), FactKind.SeatsChanged, new SeatsChangedPayload(delta, null));
        }

        if (age > 0 && age % 12 == 0)
        {
            Add("billing", "renewal", At(ref rng), FactKind.RenewalDue, new RenewalPayload(p.Mrr, Currency));
            if (month != p.ChurnMonth && rng.Chance(0.88))
            {
                Add("billing", "renewal", monthEnd, FactKind.RenewalRenewed, new RenewalPayload(p.Mrr, Currency));
            }
            else
            {
                Add("billing", "renewal", monthEnd, FactKind.RenewalLost, new RenewalPayload(p.Mrr, Currency));
            }
        }

        if (p.Segment == "enterprise" && age % 3 == 2)
        {
            Add("crm", "qbr", At(ref rng), FactKind.QbrHeld, new QbrHeldPayload("Quarterly business review"));
        }

        if (rng.Chance(0.01))
        {
            var referral = $"ref-{accountId}-{month:D3}";
            Add("crm", "referral", At(ref rng), FactKind.ReferralMade, new ReferralPayload(referral));
            if (rng.Chance(0.3))
            {
                Add("crm", "referral", monthEnd, FactKind.ReferralConverted, new ReferralPayload(referral));
            }
        }

        if (age > 0 && rng.Chance(0.004))
        {
            Add("crm", "assign", At(ref rng), FactKind.AccountAssigned,
                new AccountAssignedPayload(ExecutiveId(rng.Next(Executives)), DateOnly.FromDateTime(monthStart.UtcDateTime)));
        }

        var tickets = rng.Poisson(_ticketsPerAccountMonth * p.Weight);
        for (var t = 0; t < tickets; t++)
        {
            var ticketId = $"tkt-{accountId}-{month:D3}-{t:D3}";
            var opened = At(ref rng);
            Add("helpdesk", "ticket", opened, FactKind.TicketOpened, new TicketOpenedPayload(ticketId));
            var responded = Clamp(opened.AddMinutes(rng.Uniform(5, 600)));
            if (rng.Chance(0.95))
            {
                Add("helpdesk", "ticket", responded, FactKind.TicketFirstResponse, new TicketFirstResponsePayload(ticketId, opened));
            }

            if (rng.Chance(0.9))
            {
                var resolved = Clamp(responded.AddMinutes(rng.Uniform(30, 4_000)));
                var contacts = rng.Chance(0.6) ? 1 : rng.Next(2, 7);
                Add("helpdesk", "ticket", resolved, FactKind.TicketResolved, new TicketResolvedPayload(ticketId, opened, contacts));
                if (rng.Chance(0.25))
                {
                    var csat = rng.NextDouble() switch { < 0.45 => 5, < 0.75 => 4, < 0.87 => 3, < 0.94 => 2, _ => 1 };
                    Add("surveys", "survey", Clamp(resolved.AddHours(2)), FactKind.SurveyResponded, new SurveyRespondedPayload(SurveyType.Csat, csat, $"user-{rng.Next(p.Users)}"));
                }
            }
        }

        var surveys = rng.Poisson(_surveysPerAccountMonth * p.Weight);
        for (var s = 0; s < surveys; s++)
        {
            SurveyRespondedPayload payload = rng.Chance(0.7)
                ? new(SurveyType.Nps, rng.NextDouble() switch { < 0.45 => rng.Next(9, 11), < 0.75 => rng.Next(7, 9), _ => rng.Next(0, 7) }, $"user-{rng.Next(p.Users)}")
                : new(SurveyType.Ces, rng.Next(1, 8), $"user-{rng.Next(p.Users)}");
            Add("surveys", "survey", At(ref rng), FactKind.SurveyResponded, payload);
        }

        for (var u = 0; u < usageFacts; u++)
        {
            // A few power users do most of the clicking.
            var user = (int)(p.Users * Math.Pow(rng.NextDouble(), 2));
            var feature = rng.Chance(0.7) ? Features[rng.Next(Features.Length)] : null;
            var count = 1 + (int)Math.Min(999, -Math.Log(1 - rng.NextDouble()) * 3);
            Add("product", "usage", At(ref rng), FactKind.UsageRecorded,
                new UsageRecordedPayload($"user-{user}", UsageEvents[rng.Next(UsageEvents.Length)], feature, count));
        }
    }

    private sealed class AccountProfile
    {
        public required int CreatedMonth { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required int ChurnMonth { get; init; }

        public required int ReactivateMonth { get; init; }

        public required double Weight { get; init; }

        public required string Segment { get; init; }

        public required string Plan { get; init; }

        public required int Executive { get; init; }

        public required decimal Mrr { get; init; }

        public required int Seats { get; init; }

        public required int Users { get; init; }

        /// <summary>Months after creation when onboarding completes; −1 never.</summary>
        public required int OnboardingMonthOffset { get; init; }

        public required int FirstValueMonthOffset { get; init; }
    }
}

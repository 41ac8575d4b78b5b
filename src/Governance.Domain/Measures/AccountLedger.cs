using Governance.Domain.Facts;

namespace Governance.Domain.Measures;

/// <summary>
/// Everything one account's facts add up to: its profile, its portfolio owners over time, and its
/// measures by month. Applying a fact and then un-applying it (a correction) returns to the same state,
/// in any order of facts, so late facts land where they belong. Pure and serializable: the account
/// grain snapshots it as it is.
/// </summary>
public sealed class AccountLedger
{
    public AccountProfile Profile { get; set; } = new();

    /// <summary>Portfolio assignments, each from the month of its effective date on.</summary>
    public List<Assignment> Assignments { get; set; } = [];

    /// <summary>Raw counters by month; derived measures (distinct users, flags) are computed on export.</summary>
    public SortedDictionary<int, MonthCounters> Months { get; set; } = [];

    /// <summary>When each first_value milestone happened (usually one): time to value counts from the earliest.</summary>
    public List<DateTimeOffset> FirstValueAt { get; set; } = [];

    /// <summary>
    /// User ids and feature names seen by this account, each stored once: months refer to them by
    /// position, which keeps a month of usage to a few bytes per user (docs/performance.md).
    /// </summary>
    public List<string> Names { get; set; } = [];

    private Dictionary<string, int>? _nameIndex;

    /// <summary>Applies a fact (<paramref name="sign"/> 1) or takes it back (−1). Returns the months whose export changed.</summary>
    public IReadOnlySet<int> Apply(StoredFact fact, int sign = 1)
    {
        var touched = new HashSet<int>();
        if (fact.Supersedes is { } superseded)
        {
            // A correction replaces the fact it supersedes; taking the correction back restores it.
            touched.UnionWith(Apply(superseded with { Supersedes = null }, -sign));
        }

        var month = MonthKey.Of(fact.OccurredAt);
        var before = TimeToValueMonth();
        var counters = CountersFor(month);
        touched.Add(month);
        switch (fact.Payload)
        {
            case AccountCreatedPayload p:
                Profile = sign > 0
                    ? Profile with { Name = p.Name, Segment = p.Segment, CreatedAt = fact.OccurredAt, CreatedBy = fact.RecordedBy, CreatedFactId = fact.FactId, ReferredBy = p.ReferredByAccountId }
                    : Profile.CreatedFactId == fact.FactId ? new AccountProfile { ClosedAt = Profile.ClosedAt } : Profile;
                if (p.OwnerExecutiveId is not null)
                {
                    Assign(new Assignment(p.OwnerExecutiveId, month, fact.FactId), sign, touched);
                }

                // Segment and referral are read by every month's export.
                touched.UnionWith(Months.Keys);

                break;
            case AccountClosedPayload:
                Profile = Profile with { ClosedAt = sign > 0 ? fact.OccurredAt : null };
                break;
            case AccountAssignedPayload p:
                Assign(new Assignment(p.ExecutiveId, MonthKey.Of(p.EffectiveFrom), fact.FactId), sign, touched);
                break;
            case MrrChangedPayload p:
                var units = sign * Money.ToUnits(p.Amount);
                switch (p.Movement)
                {
                    case MrrMovement.New:
                        counters.Add(Measure.MrrNew, units);
                        counters.Add(Measure.CustomersNew, sign);
                        break;
                    case MrrMovement.Expansion:
                        counters.Add(Measure.MrrExpansion, units);
                        counters.Expansions += sign;
                        break;
                    case MrrMovement.Contraction:
                        counters.Add(Measure.MrrContraction, units);
                        counters.Contractions += sign;
                        break;
                    case MrrMovement.Churn:
                        counters.Add(Measure.MrrChurned, units);
                        counters.Add(Measure.CustomersChurned, sign);
                        break;
                    case MrrMovement.Reactivation:
                        counters.Add(Measure.MrrReactivated, units);
                        counters.Add(Measure.CustomersReactivated, sign);
                        break;
                }

                // The level moves from here on: whether the account was paying at the start of a later month can change.
                touched.UnionWith(Months.Keys.Where(m => m > month));

                break;
            case SeatsChangedPayload p:
                counters.Add(p.SeatsDelta >= 0 ? Measure.SeatsAdded : Measure.SeatsRemoved, sign * Math.Abs((long)p.SeatsDelta));
                break;
            case UsageRecordedPayload p:
                counters.Add(Measure.UsageEvents, sign * (long)p.Count);
                counters.Count(MemberSet.Users, NameIndex(p.UserId), sign);
                if (p.Feature is not null)
                {
                    counters.Count(MemberSet.FeatureUsers, NameIndex(p.UserId), sign);
                    counters.Count(MemberSet.Features, NameIndex(p.Feature), sign);
                }

                break;
            case OnboardingMilestonePayload p:
                counters.Add(Measure.MilestonesCompleted, sign);
                switch (p.Milestone)
                {
                    case Milestones.Activated:
                        counters.Count(MemberSet.ActivatedUsers, NameIndex(p.UserId!), sign);
                        break;
                    case Milestones.OnboardingCompleted:
                        counters.OnboardingsCompleted += sign;
                        break;
                    case Milestones.FirstValue when sign > 0:
                        FirstValueAt.Add(fact.OccurredAt);
                        break;
                    case Milestones.FirstValue:
                        FirstValueAt.Remove(fact.OccurredAt);
                        break;
                }

                break;
            case SurveyRespondedPayload { Survey: SurveyType.Nps } p:
                counters.Add(Measure.NpsResponses, sign);
                counters.Add(p.Score >= 9 ? Measure.NpsPromoters : p.Score >= 7 ? Measure.NpsPassives : Measure.NpsDetractors, sign);
                break;
            case SurveyRespondedPayload { Survey: SurveyType.Csat } p:
                counters.Add(Measure.CsatResponses, sign);
                counters.Add(Measure.CsatScoreSum, sign * p.Score);
                if (p.Score >= 4)
                {
                    counters.Add(Measure.CsatSatisfied, sign);
                }

                break;
            case SurveyRespondedPayload p:
                counters.Add(Measure.CesResponses, sign);
                counters.Add(Measure.CesScoreSum, sign * p.Score);
                break;
            case TicketOpenedPayload:
                counters.Add(Measure.TicketsOpened, sign);
                break;
            case TicketFirstResponsePayload p:
                counters.Add(Measure.TicketsFirstResponded, sign);
                counters.Add(Measure.FirstResponseMinutesSum, sign * Minutes(p.OpenedAt, fact.OccurredAt));
                break;
            case TicketResolvedPayload p:
                counters.Add(Measure.TicketsResolved, sign);
                counters.Add(Measure.ResolutionMinutesSum, sign * Minutes(p.OpenedAt, fact.OccurredAt));
                counters.Add(Measure.TicketContactsSum, sign * (long)p.Contacts);
                if (p.Contacts == 1)
                {
                    counters.Add(Measure.TicketsResolvedFirstContact, sign);
                }

                break;
            case RenewalPayload p:
                var amount = sign * (p.Amount is { } value ? Money.ToUnits(value) : 0);
                switch (fact.Kind)
                {
                    case FactKind.RenewalDue:
                        counters.Add(Measure.RenewalsDue, sign);
                        counters.Add(Measure.RenewalMrrDue, amount);
                        break;
                    case FactKind.RenewalRenewed:
                        counters.Add(Measure.RenewalsRenewed, sign);
                        counters.Add(Measure.RenewalMrrRenewed, amount);
                        break;
                    default:
                        counters.Add(Measure.RenewalsLost, sign);
                        break;
                }

                break;
            case ReferralPayload:
                counters.Add(fact.Kind == FactKind.ReferralMade ? Measure.ReferralsMade : Measure.ReferralsConverted, sign);
                break;
            case QbrHeldPayload:
                counters.Add(Measure.QbrsHeld, sign);
                break;
            case SupportCostPayload p:
                counters.Add(Measure.SupportCost, sign * Money.ToUnits(p.Amount));
                break;
        }

        if (fact.Kind == FactKind.AccountCreated || (fact.Payload is OnboardingMilestonePayload { Milestone: Milestones.FirstValue }))
        {
            // Time to value counts from creation to the earliest first_value: either end can move it.
            if (before is { } oldMonth)
            {
                touched.Add(oldMonth);
            }

            if (TimeToValueMonth() is { } newMonth)
            {
                touched.Add(newMonth);
            }
        }

        if (counters.IsEmpty)
        {
            Months.Remove(month);
        }

        return touched;
    }

    /// <summary>The measures of a period (<see cref="Period.Key"/>: a month, quarter or year) as every scope adds them up.</summary>
    public long[] Export(int periodKey)
    {
        var period = Period.FromKey(periodKey);
        var values = new long[Measures.Count];
        var members = new List<long>();
        int contractions = 0, expansions = 0, onboardings = 0, monthsWithData = 0;
        for (var month = period.FirstMonth; month <= period.LastMonth; month++)
        {
            if (!Months.TryGetValue(month, out var counters))
            {
                continue;
            }

            counters.AddSumsTo(values);
            counters.CollectMembers(members);
            monthsWithData++;
            contractions += counters.Contractions;
            expansions += counters.Expansions;
            onboardings += counters.OnboardingsCompleted;
        }

        long Get(Measure m) => values[(int)m];
        void Set(Measure m, long value) => values[(int)m] = value;
        void Flag(Measure m, bool on) => values[(int)m] = on ? 1 : 0;

        // One month's members are sorted and distinct already; several months' are merged by sorting.
        if (monthsWithData > 1)
        {
            members.Sort();
        }

        Span<int> distinct = stackalloc int[4];
        for (var i = 0; i < members.Count; i++)
        {
            if (i == 0 || members[i] != members[i - 1])
            {
                distinct[(int)(members[i] >>> 56)]++;
            }
        }

        Set(Measure.ActiveUsers, distinct[(int)MemberSet.Users]);
        Set(Measure.FeatureUsers, distinct[(int)MemberSet.FeatureUsers]);
        Set(Measure.FeaturesUsed, distinct[(int)MemberSet.Features]);
        Set(Measure.ActivatedUsers, distinct[(int)MemberSet.ActivatedUsers]);
        var (users, featureUsers, activated) = (distinct[(int)MemberSet.Users], distinct[(int)MemberSet.FeatureUsers], distinct[(int)MemberSet.ActivatedUsers]);
        Flag(Measure.CustomersDowngraded, contractions > 0);
        Flag(Measure.CustomersExpanded, expansions > 0);
        Flag(Measure.OnboardingsCompleted, onboardings > 0);
        Set(Measure.CustomersChurnedNew, Math.Min(Get(Measure.CustomersNew), Get(Measure.CustomersChurned)));

        // Over the whole period, not month by month: an account that lost MRR in January and won it
        // back in February has retained it over the quarter (product §4).
        var netMrr = Get(Measure.MrrNew) + Get(Measure.MrrExpansion) + Get(Measure.MrrReactivated) - Get(Measure.MrrContraction) - Get(Measure.MrrChurned);
        Set(Measure.MrrDecrease, Math.Max(0, -netMrr));
        Set(Measure.CustomersLost, Math.Max(0, Get(Measure.CustomersChurned) - Get(Measure.CustomersNew) - Get(Measure.CustomersReactivated)));

        Flag(Measure.AccountsCreated, Profile.CreatedAt is { } created && Within(period, MonthKey.Of(created)));
        Flag(Measure.AccountsActive, users > 0);
        Flag(Measure.AccountsUsingFeatures, featureUsers > 0);
        Flag(Measure.AccountsActivated, activated > 0);
        Flag(Measure.AccountsActivatedExpanded, activated > 0 && expansions > 0);
        Flag(Measure.AccountsReferring, Get(Measure.ReferralsMade) > 0);
        Flag(Measure.AccountsWithQbr, Get(Measure.QbrsHeld) > 0);
        Flag(Measure.AccountsWithQbrLost, Get(Measure.QbrsHeld) > 0 && Get(Measure.CustomersLost) > 0);
        if (Get(Measure.MrrExpansion) + Get(Measure.MrrContraction) + Get(Measure.MrrChurned) + Get(Measure.MrrReactivated) != 0
            && MrrAtEnd(period.FirstMonth - 1) > 0)
        {
            Set(Measure.MrrExpansionExisting, Get(Measure.MrrExpansion));
            Set(Measure.MrrContractionExisting, Get(Measure.MrrContraction));
            Set(Measure.MrrChurnedExisting, Get(Measure.MrrChurned));
            Set(Measure.MrrReactivatedExisting, Get(Measure.MrrReactivated));
        }

        if (Profile.ReferredBy is not null)
        {
            Set(Measure.MrrNewReferred, Get(Measure.MrrNew));
            Set(Measure.MrrExpansionReferred, Get(Measure.MrrExpansion));
        }

        if (TimeToValueMonth() is { } ttvMonth && Within(period, ttvMonth))
        {
            var days = (long)(FirstValue()!.Value - Profile.CreatedAt!.Value).TotalDays;
            Set(Measure.TimeToValueDaysSum, days);
            Set(Measure.TimeToValueCount, 1);
            Set(TimeToValueBuckets.BucketOf(days), 1);
        }

        return values;
    }

    /// <summary>Every period with anything in it, with its exported measures.</summary>
    public MonthlyMeasures ExportAll()
    {
        var all = new MonthlyMeasures();
        foreach (var period in PeriodsWithData())
        {
            all.Add(period, Export(period));
        }

        return all;
    }

    /// <summary>Months with something in their export, without computing the exports.</summary>
    public IEnumerable<int> MonthsWithData() => Months.Keys
        .Concat(TimeToValueMonth() is { } m ? [m] : [])
        .Concat(Profile.CreatedAt is { } created ? [MonthKey.Of(created)] : [])
        .Concat(Assignments.Select(a => a.EffectiveMonth))
        .Distinct();

    /// <summary>The months, quarters and years with something in them (an ownership change counts: it moves levels).</summary>
    public IEnumerable<int> PeriodsWithData() => MonthsWithData().SelectMany(Period.KeysContaining).Distinct();

    /// <summary>
    /// The periods with data ending in or after the month: an MRR change moves the account's level,
    /// which says whether it was paying at the start of each later period.
    /// </summary>
    public IEnumerable<int> PeriodsEndingFrom(int month) => PeriodsWithData().Where(p => Period.FromKey(p).LastMonth >= month);

    /// <summary>The periods in which the account changes portfolio: a change in its MRR level moves what it carries across.</summary>
    public IEnumerable<int> OwnershipPeriods() => Assignments.SelectMany(a => Period.KeysContaining(a.EffectiveMonth)).Distinct();

    /// <summary>MRR at the end of a month: the running sum of every MRR flow up to and including it.</summary>
    public long MrrAtEnd(int month) => Months.Where(m => m.Key <= month).Sum(m => m.Value.Get(Measure.MrrNew) + m.Value.Get(Measure.MrrExpansion)
        + m.Value.Get(Measure.MrrReactivated) - m.Value.Get(Measure.MrrContraction) - m.Value.Get(Measure.MrrChurned));

    /// <summary>Paying customers at the end of a month.</summary>
    public long CustomersAtEnd(int month) => Months.Where(m => m.Key <= month).Sum(m =>
        m.Value.Get(Measure.CustomersNew) + m.Value.Get(Measure.CustomersReactivated) - m.Value.Get(Measure.CustomersChurned));

    /// <summary>
    /// What the account adds to each roll-up for a period: the tenant and its segment get the export;
    /// the portfolio owning the period gets it too, and when the owner changed at or inside the period,
    /// the new owner also takes the account's levels at the period's start, which the previous owner
    /// gives up (<see cref="Measure.MrrStartAdjust"/>).
    /// </summary>
    public Dictionary<string, long[]> Contributions(int periodKey)
    {
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var values = Export(periodKey);
        var any = values.Any(v => v != 0);
        if (any)
        {
            result[ContributionChanges.Tenant] = values;
            if (Profile.Segment is { } segment)
            {
                result[ContributionChanges.Segment(segment)] = values;
            }
        }

        var period = Period.FromKey(periodKey);
        var owner = OwnerOf(period.LastMonth);
        var previous = OwnerOf(period.FirstMonth - 1);
        if (owner == previous)
        {
            if (owner is not null && any)
            {
                result[ContributionChanges.Portfolio(owner)] = values;
            }

            return result;
        }

        var mrr = MrrAtEnd(period.FirstMonth - 1);
        var customers = CustomersAtEnd(period.FirstMonth - 1);
        if (owner is not null)
        {
            var carried = (long[])values.Clone();
            carried[(int)Measure.MrrStartAdjust] += mrr;
            carried[(int)Measure.CustomersStartAdjust] += customers;
            if (carried.Any(v => v != 0))
            {
                result[ContributionChanges.Portfolio(owner)] = carried;
            }
        }

        if (previous is not null && (mrr != 0 || customers != 0))
        {
            var given = new long[Measures.Count];
            given[(int)Measure.MrrStartAdjust] = -mrr;
            given[(int)Measure.CustomersStartAdjust] = -customers;
            result[ContributionChanges.Portfolio(previous)] = given;
        }

        return result;
    }

    /// <summary>Who owns a period: the owner of its last month (a quarter belongs to whoever holds the account when it ends).</summary>
    public string? OwnerOfPeriod(int periodKey) => OwnerOf(Period.FromKey(periodKey).LastMonth);

    /// <summary>Who owns the account's measures of a month: the latest assignment effective by then.</summary>
    public string? OwnerOf(int month) =>
        Assignments.Where(a => a.EffectiveMonth <= month).OrderBy(a => a.EffectiveMonth).ThenBy(a => a.FactId).LastOrDefault()?.ExecutiveId;

    /// <summary>The earliest first_value milestone at or after creation (one before it is a data error, not a value).</summary>
    private DateTimeOffset? FirstValue() =>
        Profile.CreatedAt is { } created && FirstValueAt.Where(t => t >= created).ToList() is { Count: > 0 } valid ? valid.Min() : null;

    private static bool Within(Period period, int month) => month >= period.FirstMonth && month <= period.LastMonth;

    private int? TimeToValueMonth() => FirstValue() is { } first ? MonthKey.Of(first) : null;

    private void Assign(Assignment assignment, int sign, HashSet<int> touched)
    {
        if (sign > 0)
        {
            Assignments.Add(assignment);
        }
        else
        {
            Assignments.RemoveAll(a => a.FactId == assignment.FactId);
        }

        // Ownership changes move every month from the effective one on; the caller re-attributes them.
        touched.UnionWith(Months.Keys.Where(m => m >= assignment.EffectiveMonth));
    }

    private MonthCounters CountersFor(int month)
    {
        if (!Months.TryGetValue(month, out var counters))
        {
            counters = new MonthCounters();
            Months[month] = counters;
        }

        return counters;
    }

    private int NameIndex(string name)
    {
        _nameIndex ??= Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        if (!_nameIndex.TryGetValue(name, out var index))
        {
            index = Names.Count;
            Names.Add(name);
            _nameIndex[name] = index;
        }

        return index;
    }

    private static long Minutes(DateTimeOffset from, DateTimeOffset to) => (long)(to - from).TotalMinutes;
}

public sealed record AccountProfile
{
    public string? Name { get; init; }

    public string? Segment { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public string? CreatedBy { get; init; }

    public long? CreatedFactId { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The account whose referral brought this one.</summary>
    public string? ReferredBy { get; init; }
}

public sealed record Assignment(string ExecutiveId, int EffectiveMonth, long FactId);

/// <summary>The distinct-count sets a month keeps (who or what, by position in <see cref="AccountLedger.Names"/>).</summary>
public enum MemberSet : byte
{
    Users,
    FeatureUsers,
    Features,
    ActivatedUsers,
}

/// <summary>
/// One month's raw counters of one account, kept compact because an account holds many months: only
/// non-zero sums, and the distinct-count sets as packed numbers (set, name position, facts counted).
/// </summary>
public sealed class MonthCounters
{
    private const int CountBits = 24;
    private const long CountMask = (1L << CountBits) - 1;

    /// <summary>Measures with a non-zero sum, ascending; <see cref="Values"/> holds their sums.</summary>
    public byte[] Measures { get; set; } = [];

    public long[] Values { get; set; } = [];

    /// <summary>Set members, ascending: set &lt;&lt; 56 | name position &lt;&lt; 24 | facts that made it a member.</summary>
    public long[] Members { get; set; } = [];

    public int Contractions { get; set; }

    public int Expansions { get; set; }

    public int OnboardingsCompleted { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Measures.Length == 0 && Members.Length == 0 && Contractions == 0 && Expansions == 0 && OnboardingsCompleted == 0;

    public long Get(Measure measure)
    {
        var at = Array.BinarySearch(Measures, (byte)measure);
        return at >= 0 ? Values[at] : 0;
    }

    public void Add(Measure measure, long value)
    {
        if (value == 0)
        {
            return;
        }

        var at = Array.BinarySearch(Measures, (byte)measure);
        if (at < 0)
        {
            Measures = [.. Measures[..~at], (byte)measure, .. Measures[~at..]];
            Values = [.. Values[..~at], value, .. Values[~at..]];
            return;
        }

        Values[at] += value;
        if (Values[at] == 0)
        {
            Measures = [.. Measures[..at], .. Measures[(at + 1)..]];
            Values = [.. Values[..at], .. Values[(at + 1)..]];
        }
    }

    public void AddSumsTo(long[] values)
    {
        for (var i = 0; i < Measures.Length; i++)
        {
            values[Measures[i]] += Values[i];
        }
    }

    /// <summary>Adds this month's members (set and name position, without their counts) to a period's list.</summary>
    public void CollectMembers(List<long> members)
    {
        foreach (var member in Members)
        {
            members.Add(member & ~CountMask);
        }
    }

    /// <summary>Counts a fact for a member of a set; the member leaves the set when its count returns to zero.</summary>
    public void Count(MemberSet set, int nameIndex, int sign)
    {
        var key = ((long)set << 56) | ((long)nameIndex << CountBits);
        var at = Array.BinarySearch(Members, key);
        if (at < 0)
        {
            at = ~at;
        }

        if (at < Members.Length && (Members[at] & ~CountMask) == key)
        {
            var count = (Members[at] & CountMask) + sign;
            if (count > 0)
            {
                Members[at] = key | count;
            }
            else
            {
                Members = [.. Members[..at], .. Members[(at + 1)..]];
            }
        }
        else if (sign > 0)
        {
            Members = [.. Members[..at], key | 1, .. Members[at..]];
        }
    }

    public int CountMembers(MemberSet set) => Members.Count(m => (MemberSet)(m >>> 56) == set);
}

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
                    ? Profile with { Name = p.Name, Segment = p.Segment, CreatedAt = fact.OccurredAt, CreatedBy = fact.RecordedBy, CreatedFactId = fact.FactId }
                    : Profile.CreatedFactId == fact.FactId ? new AccountProfile { ClosedAt = Profile.ClosedAt } : Profile;
                if (p.OwnerExecutiveId is not null)
                {
                    Assign(new Assignment(p.OwnerExecutiveId, month, fact.FactId), sign, touched);
                }

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

    /// <summary>The month's measures as every scope adds them up.</summary>
    public long[] Export(int month)
    {
        var values = new long[Measures.Count];
        if (Months.TryGetValue(month, out var counters))
        {
            counters.CopySumsTo(values);
            values[(int)Measure.ActiveUsers] = counters.CountMembers(MemberSet.Users);
            values[(int)Measure.FeatureUsers] = counters.CountMembers(MemberSet.FeatureUsers);
            values[(int)Measure.FeaturesUsed] = counters.CountMembers(MemberSet.Features);
            values[(int)Measure.ActivatedUsers] = counters.CountMembers(MemberSet.ActivatedUsers);
            values[(int)Measure.CustomersDowngraded] = counters.Contractions > 0 ? 1 : 0;
            values[(int)Measure.CustomersExpanded] = counters.Expansions > 0 ? 1 : 0;
            values[(int)Measure.OnboardingsCompleted] = counters.OnboardingsCompleted > 0 ? 1 : 0;
            values[(int)Measure.CustomersChurnedNew] = Math.Min(counters.Get(Measure.CustomersNew), counters.Get(Measure.CustomersChurned));
        }

        if (TimeToValueMonth() == month)
        {
            values[(int)Measure.TimeToValueDaysSum] = (long)(FirstValue()!.Value - Profile.CreatedAt!.Value).TotalDays;
            values[(int)Measure.TimeToValueCount] = 1;
        }

        return values;
    }

    /// <summary>Every month with anything in it, with its exported measures.</summary>
    public MonthlyMeasures ExportAll()
    {
        var all = new MonthlyMeasures();
        foreach (var month in MonthsWithData())
        {
            all.Add(month, Export(month));
        }

        return all;
    }

    /// <summary>Every month with something in its export, without computing the exports.</summary>
    public IEnumerable<int> MonthsWithData() => Months.Keys.Concat(TimeToValueMonth() is { } m ? [m] : []).Distinct();

    /// <summary>Who owns the account's measures of a month: the latest assignment effective by then.</summary>
    public string? OwnerOf(int month) =>
        Assignments.Where(a => a.EffectiveMonth <= month).OrderBy(a => a.EffectiveMonth).ThenBy(a => a.FactId).LastOrDefault()?.ExecutiveId;

    /// <summary>The earliest first_value milestone at or after creation (one before it is a data error, not a value).</summary>
    private DateTimeOffset? FirstValue() =>
        Profile.CreatedAt is { } created && FirstValueAt.Where(t => t >= created).ToList() is { Count: > 0 } valid ? valid.Min() : null;

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

    public void CopySumsTo(long[] values)
    {
        for (var i = 0; i < Measures.Length; i++)
        {
            values[Measures[i]] = Values[i];
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

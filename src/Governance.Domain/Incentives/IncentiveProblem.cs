namespace Governance.Domain.Incentives;

/// <summary>One thing wrong with a scorecard or plan; <see cref="Field"/> is a camelCase path into the input (<c>metrics[1].weight</c>).</summary>
public sealed record IncentiveProblem(string Field, string Message);

namespace Governance.Api.Findings;

/// <summary>A finding's evidence as stored: camelCase JSON, enums by name, decimals exact.</summary>
internal static class FindingEvidence
{
    public static string Json(object evidence) => Governance.Domain.Incentives.IncentiveJson.Serialize(evidence);
}

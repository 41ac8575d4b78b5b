using Governance.Abstractions.Security;

namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// The lifecycle of a definition version, in one place: draft → approved → retired, or draft →
/// retired (withdrawn). Approved content never changes; a change is a new version. Nobody approves
/// a version they proposed (product §2, separation of duties). The store calls these checks inside
/// the transaction that holds the key's lock, so two callers never both pass the same check.
/// </summary>
public static class DefinitionLifecycle
{
    public const int MaxApproveReasonLength = 500;

    /// <summary>Who may read definitions.</summary>
    public static IReadOnlyList<string> ReaderRoles { get; } =
        [Roles.TenantAdmin, Roles.DataOwner, Roles.Executive, Roles.CsManager, Roles.Auditor, Roles.CommitteeMember];

    /// <summary>Who may propose a version.</summary>
    public static IReadOnlyList<string> ProposerRoles { get; } = [Roles.DataOwner, Roles.TenantAdmin, Roles.CsManager];

    /// <summary>Who may approve or retire a version.</summary>
    public static IReadOnlyList<string> ApproverRoles { get; } = [Roles.DataOwner, Roles.TenantAdmin];

    /// <summary>Checks a proposal on its own: the proposer's roles and the draft's rules.</summary>
    public static DefinitionRefusal? Propose(MetricDraft draft, DefinitionActor actor)
    {
        if (!actor.HasAnyRole(ProposerRoles))
        {
            return new(RefusalKind.Forbidden, $"Proposing a metric definition requires one of the roles: {string.Join(", ", ProposerRoles)}.");
        }

        var problems = DefinitionValidator.Validate(draft);
        return problems.Count > 0 ? DefinitionRefusal.Invalid(problems) : null;
    }

    /// <summary>Checks a proposal against what the tenant has under the keys it names (<see cref="DefinitionValidator.CheckReferences"/>).</summary>
    public static DefinitionRefusal? ProposeAgainst(MetricDraft draft, IReadOnlyDictionary<string, KnownKey> known)
    {
        var problems = DefinitionValidator.CheckReferences(draft, known);
        return problems.Count > 0 ? DefinitionRefusal.Invalid(problems) : null;
    }

    /// <summary>Only a draft is approved, by a data owner or tenant admin who did not propose it.</summary>
    public static DefinitionRefusal? Approve(MetricDefinition? current, DefinitionActor actor, string? reason)
    {
        if (current is null)
        {
            return new(RefusalKind.NotFound, "No such metric definition version.");
        }

        if (!actor.HasAnyRole(ApproverRoles))
        {
            return new(RefusalKind.Forbidden, $"Approving a metric definition requires one of the roles: {string.Join(", ", ApproverRoles)}.");
        }

        if (reason?.Length > MaxApproveReasonLength)
        {
            return DefinitionRefusal.Invalid([new("reason", $"must be at most {MaxApproveReasonLength} characters long")]);
        }

        var refusal = current.Status switch
        {
            DefinitionStatus.Approved => new DefinitionRefusal(RefusalKind.Conflict,
                $"Version {current.Version} of '{current.Key}' was approved already by {current.ApprovedBy}; nothing was changed."),
            DefinitionStatus.Retired => new DefinitionRefusal(RefusalKind.Conflict,
                $"Version {current.Version} of '{current.Key}' is retired and can no longer be approved; propose a new version."),
            _ => null,
        };
        if (refusal is not null)
        {
            return refusal;
        }

        return current.Author == actor.Subject
            ? new(RefusalKind.Forbidden,
                $"Separation of duties: version {current.Version} of '{current.Key}' was proposed by {actor.Subject}, who therefore cannot approve it; another data owner or tenant admin must.")
            : null;
    }

    /// <summary>A draft (withdrawn) or an approved version is retired, with a reason, by a data owner or tenant admin.</summary>
    public static DefinitionRefusal? Retire(MetricDefinition? current, DefinitionActor actor, string? reason)
    {
        if (current is null)
        {
            return new(RefusalKind.NotFound, "No such metric definition version.");
        }

        if (!actor.HasAnyRole(ApproverRoles))
        {
            return new(RefusalKind.Forbidden, $"Retiring a metric definition requires one of the roles: {string.Join(", ", ApproverRoles)}.");
        }

        var length = reason?.Trim().Length ?? 0;
        if (length is 0 || reason!.Length > DefinitionValidator.MaxReasonLength)
        {
            return DefinitionRefusal.Invalid([new("reason", $"must be 1 to {DefinitionValidator.MaxReasonLength} characters long: say why the version is retired")]);
        }

        return current.Status == DefinitionStatus.Retired
            ? new(RefusalKind.Conflict, $"Version {current.Version} of '{current.Key}' was retired already by {current.RetiredBy}; nothing was changed.")
            : null;
    }
}

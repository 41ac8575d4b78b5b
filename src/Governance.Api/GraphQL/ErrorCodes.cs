using GraphQL;

namespace Governance.Api.GraphQL;

/// <summary>The <c>extensions.code</c> values our resolvers and rules use (docs/api.md lists them).</summary>
public static class ErrorCodes
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string AccessDenied = "ACCESS_DENIED";
    public const string InvalidInput = "INVALID_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";

    /// <summary>
    /// The caller's roles allow the field, but not this step on this object (e.g. approving a
    /// definition they proposed themselves). Unlike ACCESS_DENIED, found while executing.
    /// </summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>An input value that breaks a rule; <c>extensions.data.field</c> names it by its path in the arguments.</summary>
    public static ExecutionError Invalid(string field, string problem) =>
        new ExecutionError($"{field}: {problem}.") { Code = InvalidInput, Data = { ["field"] = field } };

    public static ExecutionError NotFoundError(string what, string id) =>
        new ExecutionError($"{what} '{id}' was not found.") { Code = NotFound };
}

using Governance.Api.GraphQL;
using Governance.Domain.Metrics.Definitions;
using GraphQL;

namespace Governance.Api.Metrics;

/// <summary>Refused lifecycle steps as GraphQL errors, with the codes and <c>extensions.data</c> of docs/api.md.</summary>
public static class DefinitionErrors
{
    /// <summary>
    /// Adds one error per problem (or one for the refusal) to the context. The fields of problems are
    /// prefixed with where the draft sits in the arguments: <c>input.</c> for a proposal, nothing for approve/retire.
    /// </summary>
    public static void Report(IResolveFieldContext context, DefinitionRefusal refusal, string fieldPrefix, string key, int? version)
    {
        switch (refusal.Kind)
        {
            case RefusalKind.Invalid:
                foreach (var problem in refusal.Problems)
                {
                    context.Errors.Add(Problem(problem, fieldPrefix));
                }

                break;
            case RefusalKind.NotFound:
                context.Errors.Add(NotFound(key, version));
                break;
            case RefusalKind.Forbidden:
                context.Errors.Add(new ExecutionError(refusal.Message) { Code = ErrorCodes.Forbidden });
                break;
            default:
                context.Errors.Add(new ExecutionError(refusal.Message) { Code = ErrorCodes.Conflict });
                break;
        }
    }

    /// <summary>The same answer whether another tenant has the key or nobody does.</summary>
    public static ExecutionError NotFound(string key, int? version) =>
        new($"Metric definition '{key}'{(version is null ? "" : $" version {version}")} was not found.") { Code = ErrorCodes.NotFound };

    /// <summary>
    /// An INVALID_INPUT error naming the field; a formula problem also carries the compiler's code
    /// (<c>data.formulaCode</c>) and where it is (<c>data.line</c>, <c>column</c>, <c>offset</c>, <c>length</c>).
    /// </summary>
    public static ExecutionError Problem(DefinitionProblem problem, string fieldPrefix)
    {
        var field = fieldPrefix + problem.Field;
        var message = problem.Message.TrimEnd('.');
        if (problem.Line is { } line && problem.Column is { } column)
        {
            message += $" (line {line}, column {column})";
        }

        var error = ErrorCodes.Invalid(field, message);
        if (problem.Code != DefinitionProblem.InvalidCode)
        {
            error.Data["formulaCode"] = problem.Code;
            error.Data["line"] = problem.Line;
            error.Data["column"] = problem.Column;
            error.Data["offset"] = problem.Offset;
            error.Data["length"] = problem.Length;
        }

        return error;
    }
}

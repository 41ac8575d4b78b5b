using GraphQL.Validation;
using GraphQLParser.AST;

namespace Governance.Api.GraphQL;

/// <summary>GraphQL over HTTP: a GET request may only run a query, never a mutation (GET must be safe).</summary>
public sealed class QueryOnlyOverGetRule : ValidationRuleBase
{
    public const string Code = "MUTATION_OVER_GET";

    public static readonly QueryOnlyOverGetRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(context.Operation.Operation == OperationType.Query
            ? null
            : new MatchingNodeVisitor<GraphQLOperationDefinition>((operation, validation) =>
            {
                if (operation == validation.Operation)
                {
                    validation.ReportError(new ValidationError(validation.Document.Source, Code,
                        $"Only queries may be sent with GET; send this {operation.Operation.ToString().ToLowerInvariant()} with POST.", operation) { Code = Code });
                }
            }));
}

using GraphQL;

namespace Governance.Api.GraphQL;

public static class GraphQLSetup
{
    /// <summary>Deep enough for every legitimate query of the schema, shallow enough to stop abuse.</summary>
    public const int MaxDepth = 12;

    public const int MaxComplexity = 2_000;

    public static IServiceCollection AddGovernanceGraphQL(this IServiceCollection services)
    {
        services.AddGraphQL(graphql => graphql
            .AddSchema<GovernanceSchema>()
            .AddGraphTypes(typeof(GovernanceSchema).Assembly)
            .AddSystemTextJson(json => json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
            .AddValidationRule<RoleAuthorizationRule>()
            .AddComplexityAnalyzer(complexity =>
            {
                complexity.MaxDepth = MaxDepth;
                complexity.MaxComplexity = MaxComplexity;
            })
            .AddErrorInfoProvider(errors =>
            {
                errors.ExposeExceptionDetails = false;
                errors.ExposeCode = true;
                errors.ExposeData = true;
            }));
        return services;
    }
}

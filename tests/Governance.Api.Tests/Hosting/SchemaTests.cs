using Governance.Api.GraphQL;
using Governance.Api.Tests.Infrastructure;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class SchemaTests(ApiFixture fixture)
{
    private ISchema Schema => fixture.Host.Services.GetRequiredService<GovernanceSchema>();

    /// <summary>
    /// The committed SDL is the API's contract: any schema change must come with its docs/schema.graphql
    /// change, so it shows in review. Set UPDATE_SCHEMA=1 to rewrite the file after a deliberate change.
    /// </summary>
    [Fact]
    public void ShouldMatchTheCommittedSchema()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "schema.graphql");
        var actual = Schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with UPDATE_SCHEMA=1 and commit it.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == actual,
            "The GraphQL schema changed but docs/schema.graphql did not. If the change is deliberate, run with UPDATE_SCHEMA=1 and commit the file.\n" + actual);
    }

    [Fact]
    public void ShouldDeclareAnAccessRequirementOnEveryRootField()
    {
        Schema.Initialize();
        var roots = new IObjectGraphType?[] { Schema.Query, Schema.Mutation, Schema.Subscription }.OfType<IObjectGraphType>();

        var undeclared = roots.SelectMany(root => root.Fields
                .Where(field => field.GetRoles() is null && !field.IsAuthorizationRequired())
                .Select(field => $"{root.Name}.{field.Name}"))
            .ToList();

        Assert.Empty(undeclared);
        Assert.NotEmpty(Schema.Query.Fields);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Governance.sln not found above the test binaries.");
    }
}

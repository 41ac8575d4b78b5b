using System.Text.Json.Nodes;
using Governance.Cli.Import;

namespace Governance.Cli.Tests.Import;

public sealed class ErrorPathsTests
{
    [Fact]
    public void ShouldTakeTheFactAndFieldFromAResolverError()
    {
        var error = ServerError.From(JsonNode.Parse("""
            {"message":"input.facts[3].surveyResponded.score: NPS must be 0 to 10.",
             "extensions":{"code":"INVALID_INPUT","data":{"field":"input.facts[3].surveyResponded.score","index":3}}}
            """));

        Assert.Equal(new ServerError("input.facts[3].surveyResponded.score: NPS must be 0 to 10.", "INVALID_INPUT", 3, "input.facts[3].surveyResponded.score"), error);
        Assert.True(error.IsAboutInput);
        Assert.Equal("surveyResponded.score", ErrorPaths.WithinFact(error.Field!));
        Assert.Equal("NPS must be 0 to 10.", ErrorPaths.Explain(error.Message, error.Field, _ => null));
    }

    [Fact]
    public void ShouldTakeTheFactAndFieldFromAVariableErrorMessage()
    {
        // GraphQL.NET's coercion errors name the fact only in the message.
        var error = ServerError.From(JsonNode.Parse("""
            {"message":"Variable '$input.facts[12].mrrChanged.amount' is invalid. Unable to convert '120.5' to 'Decimal'",
             "extensions":{"code":"INVALID_VALUE","codes":["INVALID_VALUE"],"number":"5.8"}}
            """));

        Assert.Equal(12, error.Index);
        Assert.Equal("mrrChanged.amount", ErrorPaths.WithinFact(error.Field!));
        Assert.Equal("Unable to convert '120.5' to 'Decimal'", ErrorPaths.Explain(error.Message, error.Field, _ => null));
    }

    [Fact]
    public void ShouldNameOtherFactsOfTheBatchByWhatTheyMapTo()
    {
        var text = ErrorPaths.Explain(
            "input.facts[4].externalId: repeats facts[1] of this batch with different content.", "input.facts[4].externalId", i => $"line {i * 10}");

        Assert.Equal("repeats line 10 of this batch with different content.", text);
    }

    [Fact]
    public void ShouldTreatAnErrorNamingNoFactAndNoInputCodeAsNotAboutTheInput()
    {
        var error = ServerError.From(JsonNode.Parse("""{"message":"Error trying to resolve field 'ingestFacts'.","extensions":{"code":"NPGSQL"}}"""));

        Assert.Null(error.Index);
        Assert.False(error.IsAboutInput);
    }
}

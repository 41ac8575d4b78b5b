using Governance.Storage.Tenants;
using GraphQL.Types;

namespace Governance.Api.Tenants;

public sealed class TenantType : ObjectGraphType<TenantRow>
{
    public TenantType()
    {
        Name = "Tenant";
        Description = "A client company: everything it sends and everything computed from it is visible only to its own callers.";
        Field("id", t => t.TenantId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.Name);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt")
            .Resolve(context => new DateTimeOffset(DateTime.SpecifyKind(context.Source.CreatedAt, DateTimeKind.Utc)));
    }
}

public sealed record CreateTenantInput(string Id, string Name);

public sealed class CreateTenantInputType : InputObjectGraphType<CreateTenantInput>
{
    public CreateTenantInputType()
    {
        Name = "CreateTenantInput";
        Field(i => i.Id, type: typeof(NonNullGraphType<IdGraphType>))
            .Description("2 to 40 characters: lowercase letters, digits and '-', starting with a letter. Permanent.");
        Field(i => i.Name).Description("Display name, 1 to 200 characters.");
    }
}

public sealed class IntegrationClientType : ObjectGraphType<IntegrationClient>
{
    public IntegrationClientType()
    {
        Name = "IntegrationClient";
        Description = "Client credentials for the tenant's integration. The secret is shown this once; only its hash is stored.";
        Field(p => p.ClientId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.ClientSecret);
    }
}

public sealed class CreateTenantPayloadType : ObjectGraphType<ProvisionedTenant>
{
    public CreateTenantPayloadType()
    {
        Name = "CreateTenantPayload";
        Field(p => p.Tenant, type: typeof(NonNullGraphType<TenantType>));
        Field<NonNullGraphType<IntegrationClientType>>("integrationClient")
            .Resolve(context => new IntegrationClient(context.Source.ClientId, context.Source.ClientSecret));
    }
}

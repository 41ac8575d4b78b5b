using Microsoft.EntityFrameworkCore;

namespace Governance.Storage.Identity;

/// <summary>
/// The token server's store (OpenIddict applications, authorizations, scopes, tokens). Its tables are
/// created by our own migration (db/migrations/0006_token_server.sql), not by EF migrations; a test
/// compares that script with this model so they cannot drift apart.
/// </summary>
public sealed class TokenServerDbContext(DbContextOptions<TokenServerDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("token_server");
        base.OnModelCreating(modelBuilder);
    }
}

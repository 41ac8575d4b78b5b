namespace Governance.Grains;

/// <summary>Names of the grain storage providers the silo must register.</summary>
public static class GrainStorage
{
    /// <summary>The PostgreSQL-backed store for grain state.</summary>
    public const string Default = "governance";
}

namespace Governance.Acceptance.Tests;

/// <summary>Where the solution's build put a deployable's assembly (src/&lt;project&gt;/bin/&lt;configuration&gt;/net10.0).</summary>
public static class BuildOutput
{
    public static string AssemblyPath(string project)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
        {
            directory = directory.Parent;
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Governance.sln not found."),
            "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
    }
}

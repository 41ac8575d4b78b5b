using System.CommandLine;
using Governance.Cli.Import;

var root = new RootCommand("Governance command line: bulk import of facts into a tenant.") { ImportCommand.Create() };
return await root.Parse(args).InvokeAsync();

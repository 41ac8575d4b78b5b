using System.CommandLine;
using Governance.Cli.Audit;
using Governance.Cli.Import;

var root = new RootCommand("Governance command line: bulk import of facts into a tenant, and the audit log's export and offline verification.") { ImportCommand.Create(), AuditCommand.Create() };
return await root.Parse(args).InvokeAsync();

using System.Globalization;
using Spectre.Console;

namespace Governance.Cli.Import;

/// <summary>The console face of an import: a progress bar over the file's bytes while it runs, then the errors and a summary table.</summary>
/// <remarks>Without a terminal (output to a file or a CI log) Spectre.Console prints the task's line now and then instead of a bar.</remarks>
public sealed class ConsoleImportView(IAnsiConsole console, IAnsiConsole errors) : IImportProgress
{
    private ProgressContext? _context;
    private ProgressTask? _task;
    private string _name = "";

    /// <summary>Runs <paramref name="import"/> under a live progress bar and prints its outcome.</summary>
    public async Task<ImportResult> RunAsync(Func<IImportProgress, Task<ImportResult>> import)
    {
        var result = await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _context = context;
                var result = await import(this);
                if (_task is not null && result.Exit == ImportExit.Completed)
                {
                    _task.Value = _task.MaxValue;
                }

                _task?.StopTask();
                return result;
            });
        Print(result);
        return result;
    }

    public void Started(string file, long length, FactFileFormat format)
    {
        _name = file;
        _task = _context?.AddTask(Markup.Escape(file), maxValue: Math.Max(1, length));
    }

    // Notes go through the console that draws the bar, which prints them above it.
    public void Note(string message) => console.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");

    public void Advanced(ImportTotals totals, long bytesRead)
    {
        if (_task is null)
        {
            return;
        }

        _task.Value = Math.Min(bytesRead, _task.MaxValue);
        _task.Description = Markup.Escape($"{_name}: line {N(totals.LinesRead)}, {N(totals.Accepted)} accepted, {N(totals.Duplicates)} duplicates");
    }

    public void Retrying(int batch, int attempt, TimeSpan delay, string reason) =>
        console.MarkupLine($"[yellow]{Markup.Escape(batch == 0 ? "Token" : $"Batch {batch}")}: {Markup.Escape(reason)}; attempt {attempt + 1} in {delay.TotalSeconds:0.#} s.[/]");

    private void Print(ImportResult result)
    {
        // Problems and a failure go to standard error, so a script can keep them apart from the summary.
        foreach (var problem in result.Problems)
        {
            errors.MarkupLine($"[red]{Markup.Escape(problem.ToString())}[/]");
        }

        switch (result.Exit)
        {
            case ImportExit.Completed:
                console.MarkupLine($"[green]{Markup.Escape(result.Message)}[/]");
                break;
            case ImportExit.Interrupted:
                errors.MarkupLine($"[yellow]{Markup.Escape(result.Message)}[/]");
                break;
            default:
                errors.MarkupLine($"[red]{Markup.Escape(result.Message)}[/]");
                break;
        }

        var totals = result.Totals;
        if (totals.LinesRead == 0 && totals.Batches == 0)
        {
            return; // stopped before it began: the message says why, a table of zeros would add nothing
        }

        var table = new Table().Title("Import summary").HideHeaders().AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.AddRow("Lines read", N(totals.LinesRead));
        if (totals.LinesSkipped > 0)
        {
            table.AddRow("Lines skipped (checkpoint)", N(totals.LinesSkipped));
        }

        table.AddRow("Facts sent", N(totals.FactsSent));
        table.AddRow("Accepted", N(totals.Accepted));
        table.AddRow("Duplicates", N(totals.Duplicates));
        table.AddRow("Late", N(totals.Late));
        table.AddRow("Batches", N(totals.Batches));
        table.AddRow("Elapsed", result.Elapsed.ToString(@"hh\:mm\:ss\.f", CultureInfo.InvariantCulture));
        table.AddRow("Facts/s", result.FactsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

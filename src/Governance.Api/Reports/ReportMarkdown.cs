using System.Globalization;
using System.Text;
using Governance.Domain.Metrics;
using static Governance.Api.Reports.ReportFormat;

namespace Governance.Api.Reports;

/// <summary>
/// A report as one Markdown document: a title, what it covers, then the six sections as "##" headings
/// in the seed's order, key metrics as a table and every other section as a list. Text that came from
/// tenant data (names, finding summaries) is escaped so it cannot break the layout.
/// </summary>
public static class ReportMarkdown
{
    public static string Render(Report report)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Escape(report.Title)).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Generated {report.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC from the metric values at that moment; \"{NoData}\" marks a value that could not be computed.\n\n");
        foreach (var note in report.Notes)
        {
            text.Append("> ").Append(Escape(note)).Append('\n');
        }

        foreach (var section in report.Sections)
        {
            text.Append("\n## ").Append(section.Title).Append("\n\n");
            if (section.Key == ReportSectionKey.KeyMetricsAndTrends)
            {
                Table(text, report.Period, section);
                continue;
            }

            foreach (var item in section.Items)
            {
                text.Append("- ").Append(Prefix(item.Kind)).Append(Escape(item.Text)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, ReportPeriod period, ReportSection section)
    {
        var yearAgo = period.YearAgo is { } ago ? $" {ago} | vs {ago} |" : "";
        text.Append(CultureInfo.InvariantCulture, $"| Metric | {period.Current} | {period.Previous} | Change |{yearAgo} Trend |\n");
        text.Append("|---|--:|--:|--:|").Append(period.YearAgo is null ? "" : "--:|--:|").Append(":-:|\n");
        var notes = new List<string>();
        foreach (var item in section.Items)
        {
            if (item.Kind != ReportItemKind.Metric)
            {
                notes.Add(item.Text);
                continue;
            }

            var unit = item.Unit ?? Unit.Score;
            var value = item.Value is null && item.NullReason is { } reason && reason != NoData ? $"{NoData} ({reason})" : Value(unit, item.Value);
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(item.MetricName ?? item.MetricKey ?? "")} | {Escape(value)} | {Value(unit, item.Previous)} | {Change(unit, item.Change)} |");
            if (period.YearAgo is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Value(unit, item.YearAgo)} | {Change(unit, item.ChangeFromYearAgo)} |");
            }

            text.Append(' ').Append(Words(item.Verdict ?? ReportVerdict.NoData)).Append(" |\n");
        }

        if (notes.Count > 0)
        {
            text.Append('\n');
            foreach (var note in notes)
            {
                text.Append("- ").Append(Escape(note)).Append('\n');
            }
        }
    }

    private static string Prefix(ReportItemKind kind) => kind switch
    {
        ReportItemKind.Win => "**Win:** ",
        ReportItemKind.Learning => "**Learning:** ",
        ReportItemKind.Action => "**Action:** ",
        _ => "",
    };

    // Markdown characters that could start a link, emphasis, a table cell or HTML.
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

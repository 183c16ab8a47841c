using System.Text;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>Prints the report to the console as it goes and keeps a Markdown copy for <c>--out</c>.</summary>
internal sealed class Report
{
    private readonly StringBuilder _markdown = new();

    public void Heading(string title)
    {
        Write($"\n## {title}\n");
    }

    public void Note(string text)
    {
        Write(text + "\n");
    }

    public void Print(Table table)
    {
        Write(table.Render());
    }

    /// <summary>Progress lines: console only (stderr), not part of the report.</summary>
    public static void Progress(string text)
    {
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");
    }

    public string ToMarkdown() => _markdown.ToString();

    private void Write(string text)
    {
        Console.WriteLine(text);
        _markdown.AppendLine(text);
    }
}

using Spectre.Console;

namespace Actors.Wal.Tool.Output;

/// <summary>
/// Where a command writes: plain text for redirected output and tests (no colors, ASCII tables, no progress bar,
/// wide lines), Spectre.Console's rich rendering on a terminal.
/// </summary>
internal sealed class ToolConsole
{
    private const int PlainWidth = 240;

    /// <summary>Creates the console over <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public ToolConsole(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        Out = stdout;
        Error = stderr;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            Ansi.Profile.Width = PlainWidth;
        }
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>True on a terminal: colors, rounded tables and progress bars.</summary>
    public bool Interactive { get; }

    /// <summary>The Spectre console writing to <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>A table styled for the current mode.</summary>
    public Table NewTable(params string[] columns)
    {
        var table = new Table { Border = Interactive ? TableBorder.Rounded : TableBorder.Ascii };
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        return table;
    }

    /// <summary>Writes a table.</summary>
    public void Write(Table table) => Ansi.Write(table);

    /// <summary>Writes a plain line (no markup interpretation).</summary>
    public void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Runs <paramref name="work"/> with a progress bar on a terminal, or directly otherwise.</summary>
    public T WithProgress<T>(string description, Func<Action<long, long>?, T> work)
    {
        if (!Interactive)
        {
            return work(null);
        }

        T result = default!;
        Ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description));
                result = work((done, total) =>
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                });
            });
        return result;
    }
}

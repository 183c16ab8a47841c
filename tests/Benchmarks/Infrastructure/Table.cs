using System.Text;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>A Markdown table that is also readable as plain text (columns padded to equal width).</summary>
internal sealed class Table
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public Table(params string[] headers)
    {
        _headers = headers;
    }

    public int RowCount => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public string Render()
    {
        var widths = new int[_headers.Length];
        for (int c = 0; c < _headers.Length; c++)
        {
            widths[c] = _headers[c].Length;
            foreach (string[] row in _rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var sb = new StringBuilder();
        AppendRow(sb, _headers, widths);
        sb.Append('|');
        foreach (int w in widths)
        {
            sb.Append(' ').Append('-', w).Append(" |");
        }

        sb.AppendLine();
        foreach (string[] row in _rows)
        {
            AppendRow(sb, row, widths);
        }

        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        sb.Append('|');
        for (int c = 0; c < cells.Length; c++)
        {
            sb.Append(' ').Append(cells[c].PadRight(widths[c])).Append(" |");
        }

        sb.AppendLine();
    }
}

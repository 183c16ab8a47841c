using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>The pieces of a Markdown document the checks read: table rows and <c>`code`</c> spans.</summary>
internal static partial class MarkdownTables
{
    /// <summary>The cells of every table row (header and separator rows included), trimmed, with the line number.</summary>
    public static IEnumerable<(int Line, string[] Cells)> Rows(string markdown)
    {
        string[] lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith('|') && line.EndsWith('|') && line.Length > 1)
            {
                yield return (i + 1, [.. line[1..^1].Split('|').Select(c => c.Trim())]);
            }
        }
    }

    /// <summary>The contents of every <c>`code`</c> span in <paramref name="text"/> (fenced blocks excluded by the caller).</summary>
    public static IEnumerable<string> CodeSpans(string text) => CodeSpan().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The document without its fenced code blocks (commands and examples are not citations).</summary>
    public static string WithoutFences(string markdown) => Fence().Replace(markdown, "");

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}

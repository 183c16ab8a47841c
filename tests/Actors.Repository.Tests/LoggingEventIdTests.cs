using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>
/// Every <c>[LoggerMessage]</c> of a source project of the solution (not the test projects) carries an explicit event
/// id, unique in its project's assembly: an operator filters and alerts by id, and two messages under one id are one.
/// </summary>
public sealed partial class LoggingEventIdTests
{
    [Fact]
    public void LoggerMessages_EverySourceProject_ExplicitEventIdsUniquePerAssembly()
    {
        var problems = new List<string>();
        foreach (string project in RepositoryFiles.SolutionProjects().Where(p => !p.StartsWith("tests/", StringComparison.Ordinal)))
        {
            string directory = Path.GetDirectoryName(project)!;
            var byId = new Dictionary<int, List<string>>();
            foreach (string file in SourceTypes.CSharpFiles(directory))
            {
                string text = File.ReadAllText(file);
                string relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/');
                foreach (Match message in LoggerMessage().Matches(text))
                {
                    string where = $"{relative}:{text.AsSpan(0, message.Index).Count('\n') + 1}";
                    if (EventIdOf(message.Groups[1].Value) is not { } id)
                    {
                        problems.Add($"{where}: [LoggerMessage] without an EventId");
                        continue;
                    }

                    if (!byId.TryGetValue(id, out List<string>? places))
                    {
                        byId[id] = places = [];
                    }

                    places.Add(where);
                }
            }

            problems.AddRange(byId.Where(p => p.Value.Count > 1)
                .Select(p => $"{Path.GetFileNameWithoutExtension(project)}: event id {p.Key} is used {p.Value.Count} times: {string.Join(", ", p.Value)}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("EventId = 12, Level = LogLevel.Warning, Message = \"x\"", 12)]
    [InlineData("Level = LogLevel.Warning, EventId=7, Message = \"x\"", 7)]
    [InlineData("3, LogLevel.Information, \"x\"", 3)]
    [InlineData("Level = LogLevel.Warning, Message = \"x\"", null)]
    public void EventIdOf_AttributeArguments_ExplicitIdOrNull(string arguments, int? expected) => Assert.Equal(expected, EventIdOf(arguments));

    /// <summary>The explicit id of a <c>[LoggerMessage(...)]</c>'s arguments: <c>EventId = N</c> or the first positional argument.</summary>
    internal static int? EventIdOf(string arguments)
    {
        Match match = NamedEventId().Match(arguments);
        if (!match.Success)
        {
            match = PositionalEventId().Match(arguments);
        }

        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"\[LoggerMessage\((.*?)\)\]", RegexOptions.Singleline)]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"\bEventId\s*=\s*(-?\d+)")]
    private static partial Regex NamedEventId();

    [GeneratedRegex(@"^\s*(-?\d+)\s*,")]
    private static partial Regex PositionalEventId();
}

namespace Actors.Repository.Tests;

/// <summary>
/// A class that owns state owns it alone: a type spread over partial files declares its fields in one file only (the
/// others group methods by concern). A large type becomes collaborators that each own their state instead
/// (<c>CommittedEntryApplierCheckpoints</c> beside <c>CommittedEntryApplier</c>), not partial files that share fields.
/// </summary>
/// <remarks>
/// Scope: the product's code (<c>src/</c>, <c>silo/</c>, <c>client-demo/</c>, <c>samples/</c>) and the shared test support
/// (<c>tests/Actors.Testing*</c>); test classes are left to their projects.
/// </remarks>
public sealed class PartialFieldTests
{
    /// <summary>
    /// The types still allowed to declare fields in several partial files. Remove an entry once its type is split into
    /// collaborators; add none.
    /// </summary>
    private static readonly HashSet<string> StillSplit = new(StringComparer.Ordinal);

    private static readonly string[] Roots = ["src", "silo", "client-demo", "samples", "tests/Actors.Testing", "tests/Actors.Testing.PowerCut"];

    [Fact]
    public void PartialTypes_ProductAndTestSupportSources_DeclareFieldsInOneFileOnly()
    {
        var problems = new List<string>();
        var stillSplitSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (project, files) in SourceFilesByProject())
        {
            var fieldsByType = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
            var partialTypes = new HashSet<string>(StringComparer.Ordinal);
            foreach (string file in files)
            {
                string relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/');
                foreach (var type in PartialTypeMembers.Read(File.ReadAllText(file)))
                {
                    if (type.IsPartial)
                    {
                        partialTypes.Add(type.Name);
                    }

                    if (type.Fields.Count > 0)
                    {
                        if (!fieldsByType.TryGetValue(type.Name, out var byFile))
                        {
                            fieldsByType[type.Name] = byFile = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                        }

                        if (!byFile.TryGetValue(relative, out var fields))
                        {
                            byFile[relative] = fields = [];
                        }

                        fields.AddRange(type.Fields);
                    }
                }
            }

            foreach (var (type, byFile) in fieldsByType.Where(t => partialTypes.Contains(t.Key) && t.Value.Count > 1))
            {
                if (StillSplit.Contains(type))
                {
                    stillSplitSeen.Add(type);
                    continue;
                }

                problems.Add($"{project}: {type} declares fields in {byFile.Count} files: "
                    + string.Join("; ", byFile.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ({string.Join(", ", f.Value)})"))
                    + ". Keep the state in one file, or give it to a collaborator that owns it.");
            }
        }

        problems.AddRange(StillSplit.Except(stillSplitSeen).Select(t => $"{t} is in the allow-list but no longer declares fields in several files: remove it from {nameof(StillSplit)}."));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Read_FieldsPropertiesMethodsAndNestedTypes_OnlyFieldsOfEachTypeCounted()
    {
        const string source = """
            namespace N;

            internal sealed partial class Outer(int seed)
            {
                private const int Limit = 3;
                private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
                private readonly Dictionary<string, int> _byName = new() { ["a"] = 1 };
                private readonly Func<int, int> _twice = x => { return x * 2; };
                private volatile int _count, _other;
                public event EventHandler? Changed;
                [ThreadStatic] private static int _perThread;
                public int Count { get; private set; } = Limit;
                public int Twice => _twice(seed);
                public bool IsSmall(int value = 2) => value is { } v && v < Limit;
                public string Text { get { return "x = 1; y"; } }
                private static string Say() => $"{{count}} = {Limit}; {"nested = 2;"}";
                private int this[int i] => i;
                private partial void Log(int value);
                private static bool operator ==(Outer a, Outer b) => true;
                private void M() { int local = 1; _count = local; }

                private sealed class Nested
                {
                    private int _inner;
                }

                private enum Kind { A = 1, B }

                private readonly record struct Pair(int A, int B);
            }
            """;

        var types = PartialTypeMembers.Read(source).ToDictionary(t => t.Name);

        Assert.True(types["N.Outer"].IsPartial);
        Assert.Equal(new[] { "Delay", "_byName", "_twice", "_other", "Changed", "_perThread" }, types["N.Outer"].Fields);
        Assert.False(types["N.Outer.Nested"].IsPartial);
        Assert.Equal(new[] { "_inner" }, types["N.Outer.Nested"].Fields);
        Assert.Equal(2, types.Count);
    }

    [Theory]
    [InlineData("private readonly int _a", "_a")]
    [InlineData("internal static readonly Meter Meter = new(\"x\")", "Meter")]
    [InlineData("private long _next = 1", "_next")]
    [InlineData("private const int Limit = 3", null)]
    [InlineData("public partial void Log(ILogger logger, int value)", null)]
    [InlineData("public int Count => _count", null)]
    [InlineData("= 5", null)]
    public void FieldName_MemberDeclaration_NameOrNull(string member, string? expected) => Assert.Equal(expected, PartialTypeMembers.FieldName(member));

    /// <summary>The C# files of each solution project under <see cref="Roots"/>, by project directory.</summary>
    private static IEnumerable<(string Project, IReadOnlyList<string> Files)> SourceFilesByProject()
    {
        string[] projects = [.. RepositoryFiles.SolutionProjects()
            .Select(p => Path.GetDirectoryName(p)!.Replace('\\', '/'))
            .Where(d => Roots.Any(r => d == r || d.StartsWith(r + "/", StringComparison.Ordinal)))];
        foreach (string project in projects)
        {
            // A project nested in another's directory (samples) is its own: leave its files out of the outer one.
            string[] inner = [.. projects.Where(p => p.StartsWith(project + "/", StringComparison.Ordinal)).Select(RepositoryFiles.PathOf)];
            yield return (project, [.. SourceTypes.CSharpFiles(project).Where(f => !inner.Any(i => f.StartsWith(i + Path.DirectorySeparatorChar, StringComparison.Ordinal)))]);
        }
    }
}

using System.Globalization;
using Actors.Crash.Tests.Engine.Support;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// The fuzz tests measure allocations process-wide, so they run alone (after the parallel collections); inside, a test
/// runs its cases in batches side by side (<see cref="Fuzzer.Concurrency"/>), each batch's allocations bounding its cases'.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz (runs alone: measures allocations)";
}

/// <summary>
/// Item 4 of the crash-safety issue: random and mutated segment and index.snapshot files fed to the segment reader,
/// the record decoder, the snapshot parser and to recovery. CI runs <see cref="CiCases"/> seeded cases of the
/// realistic profile; scripts/fuzz.sh runs the same test with ACTORS_FUZZ_CASES (default 1,000,000) for the long
/// campaign and ACTORS_FUZZ_PROFILE=crafted for crafted inputs. ACTORS_FUZZ_SEED and ACTORS_FUZZ_FIRST reproduce a
/// reported case; ACTORS_FUZZ_REPORT names a file that receives progress lines and the summary.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Crash")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    public const int CiCases = 2000;
    public const int DefaultSeed = 20261121;

    [Fact]
    public async Task Open_MutatedSegmentsAndSnapshots_EndInSuccessOrTypedErrorsWithinBoundedTimeAndMemory()
    {
        var profile = string.Equals(System.Environment.GetEnvironmentVariable("ACTORS_FUZZ_PROFILE"), "crafted", StringComparison.OrdinalIgnoreCase)
            ? FuzzProfile.Crafted
            : FuzzProfile.Realistic;
        await RunAsync(profile, Environment("ACTORS_FUZZ_CASES", CiCases));
    }

    [Fact]
    public Task Open_CraftedSegmentsAndSnapshotsWithValidChecksums_EndInSuccessOrTypedErrors() => RunAsync(FuzzProfile.Crafted, CiCases);

    [Theory]
    [InlineData(6771)] // a back-pointer that did not point backwards: the read walked a cycle, allocating GBs, until the 20 s timeout
    public async Task Open_RegressionCase_EndsInSuccessOrTypedErrorWithinBoundedTimeAndMemory(long caseNumber)
    {
        var corpus = await FuzzCorpus.BuildAsync();
        var fuzzer = new Fuzzer(corpus, FuzzProfile.Realistic, TimeSpan.FromSeconds(20));

        await fuzzer.RunAsync(DefaultSeed, caseNumber, 1);

        string summary = fuzzer.Summary();
        output.WriteLine(summary);
        Assert.True(fuzzer.Executed == 1 && fuzzer.FailedCases == 0, summary);
    }

    private async Task RunAsync(FuzzProfile profile, long cases)
    {
        int seed = (int)Environment("ACTORS_FUZZ_SEED", DefaultSeed);
        long first = Environment("ACTORS_FUZZ_FIRST", 0);
        string? report = System.Environment.GetEnvironmentVariable("ACTORS_FUZZ_REPORT");
        var corpus = await FuzzCorpus.BuildAsync();
        var fuzzer = new Fuzzer(corpus, profile, TimeSpan.FromSeconds(20)) { Concurrency = ConcurrentChecks.Degree };
        void Progress(string line)
        {
            if (report is not null)
            {
                File.AppendAllText(report, line + System.Environment.NewLine);
            }
        }

        Progress($"{DateTime.UtcNow:HH:mm:ss} fuzz campaign ({profile}): {cases} cases from {first}, seed {seed}, corpus of {corpus.Images.Count} logs");
        await fuzzer.RunAsync(seed, first, cases, Progress);

        string summary = $"profile {profile}: " + fuzzer.Summary();
        Progress(summary);
        output.WriteLine(summary);
        Assert.True(fuzzer.Executed == cases || fuzzer.Hangs > 0, $"only {fuzzer.Executed} of {cases} cases ran");
        Assert.True(fuzzer.FailedCases == 0, summary);
    }

    private static long Environment(string name, long fallback)
        => long.TryParse(System.Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : fallback;
}

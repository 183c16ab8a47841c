using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Item 3 of the crash-safety issue: the damage matrix on real files (bit flips at every byte, torn tails, zeroed
/// sectors, truncated/missing/damaged segments, unknown versions, damaged or missing index.snapshot). Every case is
/// opened in each <see cref="RecoveryMode"/>; the outcome must be a typed refusal, a reported repair, or exactly
/// the written data: never silently different events.
/// </summary>
[Trait("Category", "Crash")]
public sealed partial class DamageMatrixTests(ITestOutputHelper output) : IDisposable
{
    private static readonly RecoveryMode[] Modes = Enum.GetValues<RecoveryMode>();
    private readonly TempDirectory _dir = new("actors-crash-tests", preferMemory: true);
    private readonly Dictionary<DamageOutcome, int> _outcomes = [];
    private readonly List<string> _failures = [];
    private int _cases;

    public void Dispose() => _dir.Dispose();

    private Task<Dataset> SmallAsync(bool clean)
        => DamageHarness.BuildAsync(DamageHarness.Options(_dir.Path), clean, DamageHarness.SmallHistoryAsync);

    private Task<Dataset> MultiSegmentAsync(bool clean)
        => DamageHarness.BuildAsync(DamageHarness.Options(_dir.Path), clean, DamageHarness.MultiSegmentHistoryAsync);

    /// <summary>Restores the dataset, applies <paramref name="damage"/>, opens in each mode and judges.</summary>
    private async Task<List<(DamageOutcome Outcome, bool DataExact)>> RunCaseAsync(Dataset data, string description, Action<string> damage, params RecoveryMode[] modes)
    {
        var results = await JudgeAsync(_dir.Path, data, description, damage, modes);
        return Count(results);
    }

    /// <summary>
    /// <see cref="RunCaseAsync"/> for many cases, side by side (<see cref="ConcurrentChecks"/>), each in a directory of its
    /// own while it runs; the cases are counted and their failures listed in the order given.
    /// </summary>
    private async Task RunCasesAsync(Dataset data, IEnumerable<(string Description, Action<string> Damage)> cases, params RecoveryMode[] modes)
    {
        var free = new System.Collections.Concurrent.ConcurrentBag<string>(
            Enumerable.Range(0, ConcurrentChecks.Degree).Select(n => Directory.CreateDirectory(Path.Combine(_dir.Path, $"case-{n}")).FullName));
        var results = await ConcurrentChecks.RunAsync(cases, async c =>
        {
            if (!free.TryTake(out var directory))
            {
                throw new InvalidOperationException($"no free case directory for '{c.Description}': more cases ran at once than {ConcurrentChecks.Degree}");
            }

            try
            {
                return await JudgeAsync(directory, data, c.Description, c.Damage, modes);
            }
            finally
            {
                free.Add(directory);
            }
        });
        foreach (var result in results)
        {
            Count(result);
        }
    }

    private static async Task<List<(RecoveryMode Mode, DamageOutcome Outcome, string? Failure, bool DataExact, string Description)>> JudgeAsync(
        string directory, Dataset data, string description, Action<string> damage, RecoveryMode[] modes)
    {
        var results = new List<(RecoveryMode, DamageOutcome, string?, bool, string)>();
        foreach (var mode in modes.Length == 0 ? Modes : modes)
        {
            data.Restore(directory);
            damage(directory);
            var (outcome, failure, exact) = await DamageHarness.OpenAndJudgeAsync(directory, mode, data.Workload);
            results.Add((mode, outcome, failure, exact, description));
        }

        return results;
    }

    private List<(DamageOutcome Outcome, bool DataExact)> Count(List<(RecoveryMode Mode, DamageOutcome Outcome, string? Failure, bool DataExact, string Description)> results)
    {
        var outcomes = new List<(DamageOutcome, bool)>();
        foreach (var (mode, outcome, failure, exact, description) in results)
        {
            _cases++;
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
            outcomes.Add((outcome, exact));
            if (failure is not null)
            {
                _failures.Add($"{description}, {mode}: {failure}");
            }
        }

        return outcomes;
    }

    private void AssertNoFailures()
    {
        output.WriteLine($"{_cases} damage cases executed: {string.Join(", ", _outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; {_failures.Count} failures");
        Assert.True(_failures.Count == 0, string.Join(Environment.NewLine, _failures.Take(20)));
    }

    private static void FlipBit(string path, long offset, int bit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] ^= (byte)(1 << bit);
        File.WriteAllBytes(path, bytes);
    }

    private static void ZeroRange(string path, long offset, int count)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, (int)offset, (int)Math.Min(count, bytes.Length - offset));
        File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }
}

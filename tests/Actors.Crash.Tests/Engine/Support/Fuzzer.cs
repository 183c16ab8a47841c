using System.Text.RegularExpressions;
using Actors.Wal;
using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>What the fuzzer generates.</summary>
internal enum FuzzProfile
{
    /// <summary>Damage as media and crashes make it: mutations without recomputed checksums; all three recovery modes.</summary>
    Realistic,

    /// <summary>Crafted inputs: half the mutated files get valid checksums so mutated fields reach the parsers; all three modes including Salvage.</summary>
    Crafted,
}

/// <summary>
/// Feeds mutated log directories to the segment reader, the record decoder, the snapshot parser and to a full open
/// (recovery) in a random mode followed by reads, an append and a dispose. A case passes when everything ends in
/// success or a typed <see cref="WalException"/>; it fails on any other exception, on a hang (per-case timeout), or
/// when it allocates more than <see cref="MaxAllocatedBytesPerCase"/>.
/// </summary>
internal sealed partial class Fuzzer(FuzzCorpus corpus, FuzzProfile profile, TimeSpan perCaseTimeout)
{
    public const long MaxAllocatedBytesPerCase = 64L * 1024 * 1024;
    private const int MaxRecordLength = (64 * 1024) - SegmentHeader.Size - RecordHeader.SealSize;
    private const int MaxHangs = 3;

    private readonly Dictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Count, string Example)> _failures = new(StringComparer.Ordinal);
    private readonly int _concurrency = 1;

    /// <summary>How often (in cases) progress is reported.</summary>
    public long ProgressEvery { get; init; } = 1000;

    /// <summary>Cases run side by side (at least 1); 1 measures every case's allocations alone.</summary>
    public int Concurrency
    {
        get => _concurrency;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _concurrency = value;
        }
    }

    public long Executed { get; private set; }

    public long FailedCases { get; private set; }

    public long MaxAllocated { get; private set; }

    public int Hangs { get; private set; }

    /// <summary>Batches whose allocations exceeded the bound, so each of their cases ran again alone to be measured.</summary>
    public int BatchesMeasuredAgain { get; private set; }

    public static int CaseSeed(int seed, long index) => unchecked((int)((seed * 1_000_003L) + index));

    /// <summary>
    /// Runs cases [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>), <see cref="Concurrency"/>
    /// at a time. The allocation bound is checked on the process's allocations while a batch runs (the fuzz tests run alone
    /// in their process): a batch within <see cref="MaxAllocatedBytesPerCase"/> bounds each of its cases; a batch over it
    /// has each of its cases run again alone and measured as a case of its own.
    /// </summary>
    public async Task RunAsync(int seed, long first, long count, Action<string>? progress = null)
    {
        long end = first + count;
        for (long i = first; i < end && Hangs < MaxHangs; i += Concurrency)
        {
            int batch = (int)Math.Min(Concurrency, end - i);
            long before = GC.GetTotalAllocatedBytes(precise: false);
            var results = await Task.WhenAll(Enumerable.Range(0, batch).Select(j => RunWithTimeoutAsync(seed, i + j)));
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            if (batch > 1 && allocated > MaxAllocatedBytesPerCase)
            {
                BatchesMeasuredAgain++;
                for (int j = 0; j < batch; j++)
                {
                    long alone = GC.GetTotalAllocatedBytes(precise: false);
                    var again = await RunWithTimeoutAsync(seed, i + j);
                    Record(seed, i + j, results[j].Outcome, results[j].Failure ?? again.Failure, GC.GetTotalAllocatedBytes(precise: false) - alone, progress);
                }
            }
            else
            {
                for (int j = 0; j < batch; j++)
                {
                    Record(seed, i + j, results[j].Outcome, results[j].Failure, allocated, progress);
                }
            }
        }
    }

    private async Task<(string Outcome, string? Failure)> RunWithTimeoutAsync(int seed, long index)
    {
        using var cts = new CancellationTokenSource();
        var task = Task.Run(() => RunCaseAsync(CaseSeed(seed, index), cts.Token));
        try
        {
            return await task.WaitAsync(perCaseTimeout);
        }
        catch (TimeoutException)
        {
            await cts.CancelAsync();
            return ("hang", $"no result within {perCaseTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Counts case <paramref name="index"/>: <paramref name="allocated"/> is its own allocation, or its batch's (which bounds it).</summary>
    private void Record(int seed, long index, string outcome, string? failure, long allocated, Action<string>? progress)
    {
        if (outcome == "hang")
        {
            Hangs++;
        }

        MaxAllocated = Math.Max(MaxAllocated, allocated);
        if (failure is null && allocated > MaxAllocatedBytesPerCase)
        {
            failure = $"allocated {allocated / (1024 * 1024)} MiB";
        }

        Executed++;
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        if (failure is not null)
        {
            FailedCases++;
            string signature = Signature(failure);
            var known = _failures.GetValueOrDefault(signature);
            _failures[signature] = (known.Count + 1, known.Example ?? $"case {index} (seed {seed}): {failure}");
        }

        if (progress is not null && Executed % ProgressEvery == 0)
        {
            progress($"{DateTime.UtcNow:HH:mm:ss} {Executed} cases executed, {FailedCases} failed, max allocation {MaxAllocated / 1024} KiB");
        }
    }

    public string Summary()
    {
        var lines = new List<string>
        {
            $"fuzz cases executed: {Executed}, failed: {FailedCases}, hangs: {Hangs}, max allocation per case (or per batch of {Concurrency}, which bounds it): {MaxAllocated / 1024} KiB, "
                + $"batches over the bound measured again case by case: {BatchesMeasuredAgain}",
            "outcomes: " + string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")),
        };
        lines.AddRange(_failures.OrderByDescending(f => f.Value.Count).Select(f => $"FAILURE x{f.Value.Count}: {f.Value.Example}"));
        return string.Join(Environment.NewLine, lines);
    }

    private async Task<(string Outcome, string? Failure)> RunCaseAsync(int caseSeed, CancellationToken cancellationToken)
    {
        var random = new Random(caseSeed);
        bool crafted = profile == FuzzProfile.Crafted;
        var image = Mutator.Mutate(corpus.Images[random.Next(corpus.Images.Count)], random, fixCrcs: crafted);
        string? parserFailure = RunParsers(image);
        if (parserFailure is not null)
        {
            return ("parser failure", parserFailure);
        }

        var fs = new CrashFileSystem(SimulatedDisk.FromImage(image));
        fs.CreateDirectory(FuzzCorpus.Directory);
        var mode = (RecoveryMode)random.Next(3);
        bool readOnly = random.Next(6) == 0;
        var options = FuzzCorpus.Options(random.Next(2) == 0, mode, readOnly);
        WriteAheadLog log;
        try
        {
            log = await WriteAheadLog.OpenAsync(options, fs, cancellationToken: CancellationToken.None);
        }
        catch (WalException ex)
        {
            return ("refused: " + ex.GetType().Name, null);
        }
        catch (Exception ex)
        {
            return ("open: untyped", $"open ({mode}{(readOnly ? ", read-only" : "")}) threw {Describe(ex)}");
        }

        string outcome = log.GetStatistics().Recovery.Notes.Count > 0 ? "opened with a report" : "opened";
        try
        {
            foreach (string stream in corpus.Streams)
            {
                try
                {
                    var info = log.GetStreamInfo(stream);
                    await log.ReadStreamAsync(stream, ReadBound.Latest, cancellationToken);
                    await log.ReadStreamAsync(stream, ReadBound.AtVersion(random.NextInt64(0, Math.Max(1, info.Version + 1))), cancellationToken);
                    await log.ReadEventsAsync(stream, 1, long.MaxValue, cancellationToken);
                }
                catch (WalException)
                {
                    outcome += ", read error";
                }
            }

            if (!readOnly)
            {
                try
                {
                    await log.AppendAsync("fuzz-after", ExpectedVersion.Any, [new byte[] { 1 }], cancellationToken);
                }
                catch (WalException)
                {
                    outcome += ", append error";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return ("hang", "a read or append did not finish within the per-case timeout");
        }
        catch (Exception ex)
        {
            return (outcome, $"after open ({mode}) threw {Describe(ex)}");
        }
        finally
        {
            outcome += await DisposeAsync(log);
        }

        return (outcome, null);
    }

    /// <summary>Closes the log; a typed error while closing a damaged log is an accepted outcome.</summary>
    private static async Task<string> DisposeAsync(WriteAheadLog log)
    {
        try
        {
            await log.DisposeAsync();
            return "";
        }
        catch (WalException ex)
        {
            return ", close error " + ex.GetType().Name;
        }
    }

    /// <summary>The pure parsers must never throw, whatever the bytes.</summary>
    private static string? RunParsers(Dictionary<string, byte[]> image)
    {
        var fs = new CrashFileSystem(SimulatedDisk.FromImage(image));
        var items = new List<RecordItem>();
        foreach (var (path, bytes) in image)
        {
            try
            {
                if (path.EndsWith(".snapshot", StringComparison.Ordinal))
                {
                    RecoverySnapshot.TryParse(bytes, out _);
                    continue;
                }

                using IWalFile file = fs.OpenFile(path, WalFileMode.OpenReadOnly);
                var reader = new SegmentReader(file, MaxRecordLength);
                reader.ReadHeader(out _, out _, out _);
                int records = 0;
                foreach (var record in reader.ReadAll())
                {
                    if (++records > 100_000)
                    {
                        return $"SegmentReader.ReadAll of {Path.GetFileName(path)} did not terminate";
                    }

                    if (record.Damage is null && record.Header.Type != RecordType.Seal)
                    {
                        items.Clear();
                        RecordCodec.TryDecodeItems(record.Header, record.Bytes, items, out _);
                    }
                }
            }
            catch (Exception ex)
            {
                return $"parsing {Path.GetFileName(path)} threw {Describe(ex)}";
            }
        }

        return null;
    }

    private static string Describe(Exception ex)
    {
        string frame = ex.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Actors.Wal", StringComparison.Ordinal)) ?? "";
        return $"{ex.GetType().Name}: {ex.Message} [{frame}]";
    }

    /// <summary>Groups failures by their shape (numbers and paths removed).</summary>
    private static string Signature(string failure) => Digits().Replace(failure, "#");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}

using Actors.Wal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>How a damaged log was handled.</summary>
internal enum DamageOutcome
{
    /// <summary>Opening refused with a typed error (LogCorruptedException, UnsupportedFormatVersionException).</summary>
    RefusedAtOpen,

    /// <summary>Opened and reported a repair or skip (truncated bytes, salvaged records or notes), or a read failed with a typed error.</summary>
    Reported,

    /// <summary>Opened without any report and every stream read back exactly as written.</summary>
    Exact,
}

/// <summary>A log written on real files with a known history, plus the pristine bytes of its files.</summary>
internal sealed class Dataset(Workload workload, Dictionary<string, byte[]> files)
{
    public Workload Workload { get; } = workload;

    public Dictionary<string, byte[]> Files { get; } = files;

    public byte[] this[string name] => Files[name];

    public IEnumerable<string> SegmentNames => Files.Keys.Where(n => n.EndsWith(".wal", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>Rewrites the directory to the pristine files (removing anything else but the lock file).</summary>
    public void Restore(string directory)
    {
        foreach (string path in Directory.GetFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name != WriteAheadLog.LockFileName && !Files.ContainsKey(name))
            {
                File.Delete(path);
            }
        }

        foreach (var (name, bytes) in Files)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }
}

/// <summary>
/// Writes small logs with a known history on real files and judges how a damaged copy is handled: every event or
/// checkpoint a read returns must equal the original; a stream that differs from what was written must have been
/// reported (at open or by a typed read error), never returned silently.
/// </summary>
internal static class DamageHarness
{
    /// <summary>Writes the history chosen by <paramref name="drive"/> and closes the log cleanly (with index.snapshot) or abandons it (crash: no final snapshot).</summary>
    public static async Task<Dataset> BuildAsync(WriteAheadLogOptions options, bool cleanShutdown, Func<WriteAheadLog, Workload, Task> drive)
    {
        var workload = new Workload(() => 0);
        var log = await WriteAheadLog.OpenAsync(options);
        await drive(log, workload);
        if (cleanShutdown)
        {
            await log.DisposeAsync();
        }
        else
        {
            await log.AbandonAsync();
        }

        var failed = workload.Items.Where(i => !i.Acked).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"building the dataset failed: {failed[0].Failure}");
        }

        var files = Directory.GetFiles(options.Directory)
            .Where(p => Path.GetFileName(p) != WriteAheadLog.LockFileName)
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes, StringComparer.Ordinal);
        return new Dataset(workload, files);
    }

    /// <summary>A small history: three streams, multi-event batches, a checkpoint, a delete.</summary>
    public static async Task SmallHistoryAsync(WriteAheadLog log, Workload w)
    {
        await w.AppendAsync(log, "a", [Text("a1"), Text("a2-longer")]);
        await w.AppendAsync(log, "b", [Text("b1")]);
        await w.AppendAsync(log, "a", [Text("a3")]);
        await w.AppendAsync(log, "c", [Text("c1"), Text("c2")]);
        await w.CheckpointAsync(log, "a", 3, Text("checkpoint-a3"));
        await w.AppendAsync(log, "b", [Text("b2"), Text("b3")]);
        await w.DeleteAsync(log, "c");
        await w.AppendAsync(log, "a", [Text("a4")]);
    }

    /// <summary>Enough history to fill several 64 KiB segments; stream "mid" lives only in the middle of the log.</summary>
    public static async Task MultiSegmentHistoryAsync(WriteAheadLog log, Workload w)
    {
        var random = new Random(5);
        for (int i = 0; i < 180; i++)
        {
            string stream = i is >= 100 and < 105 ? "mid" : "s" + (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            byte[] payload = new byte[random.Next(600, 1200)];
            random.NextBytes(payload);
            await w.AppendAsync(log, stream, [payload]);
        }
    }

    public static WriteAheadLogOptions Options(string directory, RecoveryMode mode = RecoveryMode.TolerateTornTail) => new()
    {
        Directory = directory,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        PreallocateSegments = false,
        CompactionLiveRatio = 0,
        RecoveryMode = mode,
    };

    /// <summary>Opens the (damaged) directory in <paramref name="mode"/>, reads every stream and judges the result.</summary>
    /// <returns>The outcome, or a failure description.</returns>
    public static async Task<(DamageOutcome Outcome, string? Failure, bool DataExact)> OpenAndJudgeAsync(string directory, RecoveryMode mode, Workload workload)
    {
        WriteAheadLog log;
        try
        {
            log = await WriteAheadLog.OpenAsync(Options(directory, mode));
        }
        catch (Exception ex) when (ex is LogCorruptedException or UnsupportedFormatVersionException)
        {
            return (DamageOutcome.RefusedAtOpen, null, false);
        }
        catch (Exception ex)
        {
            return (DamageOutcome.RefusedAtOpen, $"open threw an untyped {ex.GetType().Name}: {ex.Message}", false);
        }

        try
        {
            var recovery = log.GetStatistics().Recovery;
            bool reportedAtOpen = recovery.TruncatedBytes > 0 || recovery.CorruptedRecords > 0 || recovery.Notes.Count > 0;
            bool reported = reportedAtOpen;
            bool exact = true;
            foreach (var (stream, items) in workload.Streams)
            {
                StreamReadResult read;
                StreamInfo info;
                try
                {
                    info = log.GetStreamInfo(stream);
                    read = await log.ReadStreamAsync(stream);
                }
                catch (Exception ex) when (ex is LogCorruptedException or EventsReclaimedException)
                {
                    reported = true;
                    exact = false;
                    continue;
                }
                catch (Exception ex)
                {
                    return (DamageOutcome.Reported, $"reading '{stream}' threw an untyped {ex.GetType().Name}: {ex.Message}", false);
                }

                if (Workload.StateAfter(items, items.Count).Matches(read, info))
                {
                    continue;
                }

                exact = false;
                if (!reportedAtOpen)
                {
                    // A typed error on another stream does not excuse this one: each stream that differs must say so.
                    return (DamageOutcome.Exact, $"stream '{stream}' silently differs: version {read.Version}, deleted {read.IsDeleted}, "
                        + $"checkpoint {read.Checkpoint?.Version}, events [{string.Join(",", read.Events.Select(e => e.Version))}] and nothing was reported", false);
                }

                string? wrong = WrongData(stream, items, read);
                if (wrong is not null)
                {
                    return (DamageOutcome.Reported, wrong, false);
                }
            }

            return (exact && !reported ? DamageOutcome.Exact : DamageOutcome.Reported, null, exact);
        }
        finally
        {
            await log.AbandonAsync();
        }
    }

    /// <summary>Null when every event and checkpoint in <paramref name="read"/> equals the original at its version.</summary>
    private static string? WrongData(string stream, List<WorkItem> items, StreamReadResult read)
    {
        var events = new Dictionary<long, byte[]>();
        var checkpoints = new Dictionary<long, byte[]>();
        long version = 0;
        foreach (var item in items)
        {
            if (item.Kind == WorkKind.Append)
            {
                foreach (byte[] e in item.Events)
                {
                    events[++version] = e;
                }
            }
            else if (item.Kind == WorkKind.Checkpoint)
            {
                checkpoints[item.CheckpointVersion] = item.State;
            }
        }

        foreach (var e in read.Events)
        {
            if (!events.TryGetValue(e.Version, out byte[]? original) || !e.Payload.Span.SequenceEqual(original))
            {
                return $"stream '{stream}' returned a wrong event at version {e.Version}";
            }
        }

        if (read.Checkpoint is { } cp && (!checkpoints.TryGetValue(cp.Version, out byte[]? state) || !cp.State.Span.SequenceEqual(state)))
        {
            return $"stream '{stream}' returned a wrong checkpoint at version {cp.Version}";
        }

        return null;
    }

    private static byte[] Text(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}

using System.Globalization;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>The command line: <c>&lt;scenario|all&gt; [--quick] [--dir PATH] [--pg CONNSTR] [--out FILE] [--keep]</c>.</summary>
internal sealed record BenchArgs
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/Benchmarks -- <scenario|all> [options]

        scenarios: all, throughput (1), latency (2), replay (3), recovery (4), memory (5), aged (7), changefeed (9),
                   lifecycle (10: backup, restore, erase),
                   micro (BenchmarkDotNet: record framing/CRC; not part of 'all'),
                   profile (13: one store alone for a profiler, with --store, --writers, --bytes; not part of 'all'),
                   cold (14: cold activation with the log's pages evicted, read-ahead on vs off; Linux; not part of 'all'),
                   journal (15: the entry journal vs the event log, durable append latency in interleaved rounds, with
                   --writers, --bytes, --rounds, --seconds; not part of 'all')
        options:
          --quick          short windows and smaller data sets (a few minutes in all)
          --dir PATH       parent of the data directory (default: the temp directory when it is on the same
                           disk as the repository and not tmpfs, else <repo>/artifacts)
          --pg CONNSTR     PostgreSQL connection string (default: env ACTORS_BENCH_PG; absent: "not run")
          --out FILE       also write the report (Markdown) to FILE
          --seconds N      measured window per throughput run (default 2 quick, 5 full)
          --file-state S   written (default) or fallocated: the state of the blocks the engine's segments and every
                           disk baseline (bare group commit, sequential durable write, write + fdatasync) write on
          --keep           keep the data directory
          --store S        profile: wal (default), journal (the entry journal), bare (the bare group-commit loop), fdatasync,
                           sequential (the sequential durable write at 16 KiB to 512 KiB per fdatasync), cores (prints
                           the round trip of a cache line between cores 0 and 1 and exits), or crc32c (prints the
                           repository's CRC32C's nanoseconds per call at 100 B to 64 KiB and exits)
          --writers N      profile: concurrent writers (default 256); journal: only this writer count (default 1, 16, 256)
          --bytes N        profile: event payload bytes (default 100); journal: only this size (default 100 B, 1 KiB)
          --rounds N       journal: interleaved rounds (default 5, 3 with --quick); aged: rounds the rows' windows are
                           split over, order rotating (default 2)
          --segment-mb N   profile: the engine's segment size in MiB (default 64): more rotations per window on a slow machine
          --checkpoint-every N
                           every "Actors WAL" row of a scenario (profile, throughput, latency, journal): each stream
                           writes a checkpoint every N of its appends (staggered, beside the appends, as the provider
                           does), so dead segments are recycled: the log's steady state on written files instead of a
                           fresh log's zero-filled new segments (default 0: none)
          --idle-streams N the same rows as --checkpoint-every (not the aged log's): before the window, N >= 0 other
                           streams get one 100 B event each (idle, as the grains of a silo that are not called), so the
                           index, compaction and the recovery snapshot written at every rotation hold them too (default 0)
          --compaction-live-ratio X
                           the same rows: the log's CompactionLiveRatio, X in [0, 1) (default the engine's 0.5; 0 turns
                           background compaction off)
          --max-sparse-copy-segments N
                           the same rows: the log's MaxSparseCopySegments, N >= 0 (default the engine's 4; 0 compacts
                           segments holding only compaction's copies like any other)
          --snapshot-delta-min-streams N
                           the same rows: the log's SnapshotDeltaMinStreams, N >= 0 (default the engine's 10,000; 0
                           writes every recovery snapshot whole)
          --bare-fresh-files
                           every "bare group commit" row writes a fresh log's file state: new files of the engine's
                           segment size (--segment-mb), each zero-filled ahead on a background thread in fdatasynced
                           256 KiB chunks (cut short when the loop needs it), as the engine's spare pipeline prepares a
                           new segment; default: one file prepared once and reused circularly (a recycling log's state)
          --bare-caller-work NS
                           every "bare group commit" row does NS nanoseconds of CPU work per append on the caller's
                           thread before it enqueues, in parallel with the other callers (a chain of integer steps
                           calibrated once per process, so a preempted thread still does all of it; default 0: none)
          --bare-serial-work NS
                           the same work inside the loop's queue lock, one caller at a time (as the engine's drain frames)
          --bare-commit-work NS
                           the same work on the loop's commit thread per append, after the fsync and before the append's
                           waiter is completed (as the engine's committer publishes)
          --bare-extra-bytes N
                           every "bare group commit" row writes N more bytes with each commit's appends, in the same
                           write and fdatasync (as compaction's copies go out with the engine's groups; default 0)
          --cancellable-appends
                           every "Actors WAL" row passes the run's cancellable token to each append (the log then
                           registers a cancellation per append); default: no token, as the grain providers call it and
                           as the bare loop (which ignores tokens) is measured
          --later-events N cold: events after each stream's checkpoint (default 1,000; the grain providers checkpoint every 100)
          --aged           profile: build scenario 7's aged log first, then profile the engine on a fresh log and on
                           the aged one, one phase after the other in this process (scripts/engine-profile.sh)
          --passes N       profile without --aged: run the same phase N >= 1 times in this one process, each on a
                           directory of its own (fresh log, its own idle streams), one row per pass: pass 1 runs the
                           code for the first time in the process, later passes run it as the runtime tiered it
                           (default 1)
        """;

    public IReadOnlyList<string> Scenarios { get; init; } = [];

    public bool Quick { get; init; }

    public string? Directory { get; init; }

    public string? Postgres { get; init; }

    public string? OutFile { get; init; }

    public double? Seconds { get; init; }

    public bool Keep { get; init; }

    public FileState FileState { get; init; } = FileState.Written;

    public bool Help { get; init; }

    /// <summary>The store the profile scenario runs (wal, bare, fdatasync).</summary>
    public string Store { get; init; } = "wal";

    /// <summary>The profile scenario's writers, when given.</summary>
    public int? Writers { get; init; }

    /// <summary>The profile scenario's payload bytes, when given.</summary>
    public int? PayloadBytes { get; init; }

    /// <summary>The journal scenario's rounds, when given.</summary>
    public int? Rounds { get; init; }

    /// <summary>The profile scenario's engine segment size in MiB, when given (default: the engine's 64 MiB).</summary>
    public int? SegmentMegabytes { get; init; }

    /// <summary>The checkpoint interval per stream of every engine row run through the shared store runner, when given (0 or absent: none).</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Streams each given one event before an engine row's window (idle beside the writers' streams; 0: none).</summary>
    public int IdleStreams { get; init; }

    /// <summary>The engine rows' <c>CompactionLiveRatio</c>, when given (default: the engine's).</summary>
    public double? CompactionLiveRatio { get; init; }

    /// <summary>The engine rows' <c>MaxSparseCopySegments</c>, when given (default: the engine's).</summary>
    public int? MaxSparseCopySegments { get; init; }

    /// <summary>The engine rows' <c>SnapshotDeltaMinStreams</c>, when given (default: the engine's).</summary>
    public int? SnapshotDeltaMinStreams { get; init; }

    /// <summary>Engine rows pass the run's cancellable token to each append (default: none, as the providers call it).</summary>
    public bool CancellableAppends { get; init; }

    /// <summary>Bare group-commit rows write new files zero-filled ahead (a fresh log's file state) instead of one reused file.</summary>
    public bool BareFreshFiles { get; init; }

    /// <summary>Bare group-commit rows do this many nanoseconds of CPU work on the caller's thread before each append (0: none).</summary>
    public int BareCallerWorkNanoseconds { get; init; }

    /// <summary>Bare group-commit rows do this many nanoseconds of CPU work per append inside the queue's lock (0: none).</summary>
    public int BareSerialWorkNanoseconds { get; init; }

    /// <summary>Bare group-commit rows do this many nanoseconds of CPU work per append on the commit thread (0: none).</summary>
    public int BareCommitWorkNanoseconds { get; init; }

    /// <summary>Bytes the bare loop writes beside each commit's appends (<c>--bare-extra-bytes</c>; 0: none).</summary>
    public int BareExtraBytesPerCommit { get; init; }

    /// <summary>The cold scenario's events after each stream's checkpoint, when given (default 1,000).</summary>
    public int? LaterEvents { get; init; }

    /// <summary>The profile scenario runs a fresh log, then scenario 7's aged log.</summary>
    public bool Aged { get; init; }

    /// <summary>How many times the profile scenario runs its phase in one process (default 1).</summary>
    public int Passes { get; init; } = 1;

    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        var scenarios = new List<string>();
        var parsed = new BenchArgs();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--quick":
                    parsed = parsed with { Quick = true };
                    break;
                case "--keep":
                    parsed = parsed with { Keep = true };
                    break;
                case "--aged":
                    parsed = parsed with { Aged = true };
                    break;
                case "--help" or "-h":
                    parsed = parsed with { Help = true };
                    break;
                case "--dir":
                    parsed = parsed with { Directory = Value(args, ref i) };
                    break;
                case "--pg":
                    parsed = parsed with { Postgres = Value(args, ref i) };
                    break;
                case "--out":
                    parsed = parsed with { OutFile = Value(args, ref i) };
                    break;
                case "--file-state":
                    parsed = parsed with { FileState = FileStates.Parse(Value(args, ref i)) };
                    break;
                case "--store":
                    parsed = parsed with { Store = Value(args, ref i).ToLowerInvariant() };
                    break;
                case "--writers":
                    parsed = parsed with { Writers = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--bytes":
                    parsed = parsed with { PayloadBytes = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--rounds":
                    parsed = parsed with { Rounds = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--segment-mb":
                    parsed = parsed with { SegmentMegabytes = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--checkpoint-every":
                    parsed = parsed with { CheckpointEvery = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--idle-streams":
                    parsed = parsed with { IdleStreams = NonNegative(args, ref i) };
                    break;
                case "--passes":
                    int passes = NonNegative(args, ref i);
                    parsed = parsed with { Passes = passes >= 1 ? passes : throw new ArgumentException($"--passes must be 1 or more; it is {passes}.\n{Usage}") };
                    break;
                case "--compaction-live-ratio":
                    double ratio = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    if (!(ratio >= 0 && ratio < 1))
                    {
                        throw new ArgumentException($"--compaction-live-ratio must be in [0, 1); it is {ratio}.\n{Usage}");
                    }

                    parsed = parsed with { CompactionLiveRatio = ratio };
                    break;
                case "--max-sparse-copy-segments":
                    parsed = parsed with { MaxSparseCopySegments = NonNegative(args, ref i) };
                    break;
                case "--snapshot-delta-min-streams":
                    parsed = parsed with { SnapshotDeltaMinStreams = NonNegative(args, ref i) };
                    break;
                case "--bare-fresh-files":
                    parsed = parsed with { BareFreshFiles = true };
                    break;
                case "--bare-caller-work":
                    parsed = parsed with { BareCallerWorkNanoseconds = int.Parse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture) };
                    break;
                case "--bare-serial-work":
                    parsed = parsed with { BareSerialWorkNanoseconds = int.Parse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture) };
                    break;
                case "--bare-commit-work":
                    parsed = parsed with { BareCommitWorkNanoseconds = int.Parse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture) };
                    break;
                case "--bare-extra-bytes":
                    parsed = parsed with { BareExtraBytesPerCommit = int.Parse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture) };
                    break;
                case "--cancellable-appends":
                    parsed = parsed with { CancellableAppends = true };
                    break;
                case "--later-events":
                    parsed = parsed with { LaterEvents = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--seconds":
                    parsed = parsed with { Seconds = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"Unknown option {a}.\n{Usage}");
                    }

                    scenarios.Add(a.ToLowerInvariant());
                    break;
            }
        }

        string? pg = parsed.Postgres ?? Environment.GetEnvironmentVariable("ACTORS_BENCH_PG");
        return parsed with
        {
            Scenarios = scenarios.Count == 0 ? ["all"] : scenarios,
            Postgres = string.IsNullOrWhiteSpace(pg) ? null : pg,
        };
    }

    /// <summary>The value of the option at <paramref name="i"/> as an integer of 0 or more (else the usage error names the option).</summary>
    private static int NonNegative(IReadOnlyList<string> args, ref int i)
    {
        string option = args[i];
        int value = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
        return value >= 0 ? value : throw new ArgumentException($"{option} must be 0 or more; it is {value}.\n{Usage}");
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
        }

        i++;
        return args[i];
    }
}

using System.Diagnostics;
using Actors.Benchmarks.Peers;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>Everything scenarios share in one run: options, data directory, report, the disk's figures, goals.</summary>
internal sealed class RunContext
{
    private readonly List<GoalResult> _goals = [];
    private DiskFigures? _disk;
    private int _directories;

    public RunContext(BenchArgs args, string dataRoot, Report report, string? postgresVersion)
    {
        Args = args;
        DataRoot = dataRoot;
        Report = report;
        PostgresVersion = postgresVersion;
    }

    public BenchArgs Args { get; }

    public bool Quick => Args.Quick;

    /// <summary>The state of the blocks the engine and every disk baseline write on.</summary>
    public FileState FileState => Args.FileState;

    public string DataRoot { get; }

    public Report Report { get; }

    /// <summary>The PostgreSQL connection string when PostgreSQL answered at start, else null.</summary>
    public string? Postgres => PostgresVersion is null ? null : Args.Postgres;

    public string? PostgresVersion { get; }

    public IReadOnlyList<GoalResult> Goals => _goals;

    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 0.5 : 1);

    public TimeSpan Window => TimeSpan.FromSeconds(Args.Seconds ?? (Quick ? 2 : 5));

    /// <summary>Throughput runs are split into this many rounds, alternating the stores within each round.</summary>
    public int Rounds => Quick ? 1 : 2;

    public void AddGoal(GoalResult goal) => _goals.Add(goal);

    /// <summary>A fresh, empty directory under the run's data directory.</summary>
    public string NewDirectory(string name)
    {
        string path = Path.Combine(DataRoot, $"{Interlocked.Increment(ref _directories):D3}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Measures the disk's sequential bandwidth the first time it is asked, then returns the same figure.</summary>
    public Task<DiskFigures> GetDiskAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_disk is not null)
        {
            return Task.FromResult(_disk);
        }

        string dir = NewDirectory("disk");
        const int chunkBytes = 256 * 1024;
        Report.Progress($"disk: sequential {chunkBytes / 1024} KiB writes, each + fdatasync, into a {FileState.ToString().ToLowerInvariant()} file");
        long bytes = (Quick ? 256L : 1024L) * 1024 * 1024;
        double seq = SequentialDurableWrite(Path.Combine(dir, "sequential.bin"), bytes, chunkBytes, FileState);
        Directory.Delete(dir, recursive: true);
        _disk = new DiskFigures(seq, bytes, chunkBytes, FileState);
        return Task.FromResult(_disk);
    }

    /// <summary>
    /// The durable sequential write a group-committing writer can hope for: the file prepared in
    /// <paramref name="state"/> first (not timed), then <paramref name="chunkBytes"/> writes each followed by
    /// fdatasync, as a writer that syncs every group does.
    /// </summary>
    internal static double SequentialDurableWrite(string path, long totalBytes, int chunkBytes, FileState state)
    {
        byte[] chunk = new byte[chunkBytes];
        new Random(7).NextBytes(chunk);
        double seconds;
        using (var handle = FileStates.Create(path, totalBytes, state))
        {
            long start = Stopwatch.GetTimestamp();
            for (long at = 0; at < totalBytes; at += chunk.Length)
            {
                RandomAccess.Write(handle, chunk, at);
                NativeMethods.FDataSync(handle);
            }

            seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        File.Delete(path);
        return totalBytes / seconds;
    }
}

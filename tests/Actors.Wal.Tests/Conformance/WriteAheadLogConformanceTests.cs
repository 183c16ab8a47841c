namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// Runs the conformance suite, including the reopen tests, against the file-backed <see cref="WriteAheadLog"/>:
/// a temporary directory per log (deleted after the test), 64 KiB segments so that rotation happens inside the
/// suite, and <see cref="SyncPolicy.Always"/>.
/// </summary>
public class WriteAheadLogConformanceTests : PersistentEventLogConformanceTests
{
    private const long SegmentSizeBytes = WriteAheadLogOptionsValidator.MinSegmentSizeBytes;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-walconf-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<IEventLog, WriteAheadLogOptions> _optionsByLog = new(ReferenceEqualityComparer.Instance);
    private int _logCount;

    protected override async ValueTask<IEventLog> CreateLogAsync(TimeProvider timeProvider, int maxRecordSizeBytes)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = Path.Combine(_root, $"log-{++_logCount}"),
            SegmentSizeBytes = SegmentSizeBytes,
            MaxRecordSizeBytes = maxRecordSizeBytes,
            SyncPolicy = SyncPolicy.Always,
        };
        Configure(options);
        var log = await WriteAheadLog.OpenAsync(options, loggerFactory: null, timeProvider: timeProvider);
        _optionsByLog[log] = options;
        return log;
    }

    protected override async ValueTask<IEventLog> ReopenAsync(IEventLog log)
    {
        var options = _optionsByLog[log];
        await log.DisposeAsync();
        var reopened = await WriteAheadLog.OpenAsync(options, loggerFactory: null, timeProvider: Clock);
        _optionsByLog[reopened] = options;
        return reopened;
    }

    /// <summary>Adjusts the options of every log the suite opens (a derived suite runs the same tests on another setup).</summary>
    protected virtual void Configure(WriteAheadLogOptions options)
    {
    }

    protected override ValueTask CleanupAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_MoreDataThanOneSegment_RotatesAndReadsEverythingBack()
    {
        var log = await NewLogAsync();
        int eventSize = MaxRecordSizeBytes / 2;
        int events = (int)(3 * SegmentSizeBytes / eventSize);
        for (int v = 1; v <= events; v++)
        {
            await log.AppendAsync("big", v - 1, [Filled($"big-v{v}", eventSize)]);
        }

        Assert.True(log.GetStatistics().SegmentCount > 1, $"{events} events of {eventSize} bytes must span several {SegmentSizeBytes}-byte segments; the log reports {log.GetStatistics().SegmentCount}");
        var read = await log.ReadStreamAsync("big");
        Assert.Equal(events, read.Events.Count);
        for (int i = 0; i < events; i++)
        {
            Assert.Equal(Filled($"big-v{i + 1}", eventSize), read.Events[i].Payload.ToArray());
        }
    }
}

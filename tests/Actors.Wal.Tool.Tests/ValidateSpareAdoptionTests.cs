using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Tool.Scanning;
using Actors.Wal.Tool.Tests.Infrastructure;

namespace Actors.Wal.Tool.Tests;

/// <summary>
/// <c>validate</c> chooses the files that form the log with recovery's rules (round 9: the committer acknowledges records
/// in a new segment before the manifest lists it, so recovery takes a listed spare into use after a sealed segment).
/// Each test builds the crash image the engine leaves between a rotation and the manifest write that follows it (the
/// manifest lists the previous segment as open and the new one as a spare; no snapshot was written after the rotation),
/// runs the tool, then opens a copy with the engine and checks both say the same.
/// </summary>
public sealed class ValidateSpareAdoptionTests : IDisposable
{
    private static readonly string[] StreamIds = ["cold/1", "ledger/1", "blob/1", .. Enumerable.Range(0, 10).Select(a => $"account/{a}")];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Validate_SpareTakenIntoUseAfterASealedSegment_ScansItAsRecoveryDoes()
    {
        string dir = _temp.Sub("log");
        uint spare = await CreateImageBeforeManifestCaughtUpAsync(dir);

        var run = await ToolRunner.RunAsync("validate", dir);
        var report = LogScanner.Scan(dir);
        var recovered = await OpenCopyAsync(dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains($"Note: {SegmentHeader.FileName(spare)}: listed as a spare", run.Out, StringComparison.Ordinal);
        Assert.Contains(report.Segments, s => s.Id == spare && s.Records > 0);
        Assert.Contains(recovered.Notes, n => n.Contains("the writer had taken this spare into use", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, ToolVersions(report));
    }

    [Fact]
    public async Task Validate_SpareTakenIntoUseStillUnderItsSpareName_ScansItAsRecoveryDoes()
    {
        // A power loss can undo the writer's rename (made durable only by the next manifest write's directory fsync)
        // while the records the committer synced into the file persist.
        string dir = _temp.Sub("log");
        uint spare = await CreateImageBeforeManifestCaughtUpAsync(dir);
        string named = Path.Combine(dir, SegmentHeader.FileName(spare));
        File.Move(named, named + SegmentManager.SpareSuffix);

        var run = await ToolRunner.RunAsync("validate", dir);
        var report = LogScanner.Scan(dir);
        var recovered = await OpenCopyAsync(dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains(report.Segments, s => s.Id == spare && s.Records > 0 && s.FileName == SegmentHeader.FileName(spare) + SegmentManager.SpareSuffix);
        Assert.Contains(recovered.Notes, n => n.Contains("the writer had taken this spare into use", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, ToolVersions(report));
    }

    [Fact]
    public async Task Validate_SpareWrittenAfterASealThatWasLost_ReportsItsRecordsAsNeverAcknowledged()
    {
        // A power loss kept the new segment's pages but not the previous segment's seal: nothing in the spare was
        // acknowledged (the seal is synced first). Recovery discards those records; validate must not call the
        // unsealed predecessor corruption, nor count the spare's records.
        string dir = _temp.Sub("log");
        uint spare = await CreateImageBeforeManifestCaughtUpAsync(dir);
        string previous = Path.Combine(dir, SegmentHeader.FileName(spare - 1));
        var seal = SampleLog.Records(previous)[^1];
        Assert.Equal(RecordType.Seal, seal.Type);
        SampleLog.Zero(previous, seal.Offset, seal.Length);

        var run = await ToolRunner.RunAsync("validate", dir);
        var allowed = await ToolRunner.RunAsync("validate", dir, "--allow-torn-tail");
        var report = LogScanner.Scan(dir);
        var recovered = await OpenCopyAsync(dir);

        Assert.True(run.ExitCode == ExitCodes.Damage, run.ToString());
        Assert.Contains($"TORN TAIL: segment {spare} ({SegmentHeader.FileName(spare)}) offset {SegmentHeader.Size}: the writer had started writing into this spare", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("CORRUPTION", run.Out, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == ExitCodes.Ok, allowed.ToString());
        Assert.DoesNotContain(report.Segments, s => s.Id == spare);
        Assert.Contains(recovered.Notes, n => n.Contains("nothing written there was acknowledged", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, ToolVersions(report));
    }

    [Fact]
    public async Task Validate_UnlistedSegmentFileOfGarbage_IsNotScannedAsRecoveryRemovesIt()
    {
        // A file the manifest does not list is a creation or deletion cut short: recovery removes it unread.
        string dir = _temp.Sub("log");
        await SampleLog.CreateAsync(dir, crash: true);
        uint unlisted = SegmentIds(dir).Max() + 5;
        File.WriteAllBytes(Path.Combine(dir, SegmentHeader.FileName(unlisted)), Enumerable.Repeat((byte)0xAB, 4096).ToArray());

        var run = await ToolRunner.RunAsync("validate", dir);
        var report = LogScanner.Scan(dir);
        var recovered = await OpenCopyAsync(dir);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains($"Note: {SegmentHeader.FileName(unlisted)}: not listed in {SegmentManifest.FileName}", run.Out, StringComparison.Ordinal);
        Assert.Contains(recovered.Notes, n => n.Contains(SegmentHeader.FileName(unlisted), StringComparison.Ordinal) && n.Contains("not listed", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, ToolVersions(report));
    }

    /// <summary>
    /// A crashed sample log rewound to the moment after its last rotation, before the manifest write that lists the new
    /// segment: the manifest lists the segment before it as open and it as a spare, and no snapshot covers it.
    /// </summary>
    /// <returns>The id of the new segment (holding records, listed as a spare).</returns>
    private static async Task<uint> CreateImageBeforeManifestCaughtUpAsync(string dir)
    {
        await SampleLog.CreateAsync(dir, crash: true);
        string path = Path.Combine(dir, SegmentManifest.FileName);
        var manifest = SegmentManifest.TryParse(File.ReadAllBytes(path), out string? reason, out _, out _);
        Assert.True(manifest is not null, reason);
        uint last = manifest.Segments.Where(e => e.State != ManifestState.Spare).Max(e => e.Id);
        Assert.True(last >= 3, $"the sample should span at least 3 segments, it has {last}");
        Assert.True(SampleLog.Records(Path.Combine(dir, SegmentHeader.FileName(last))).Count > 0, "the last segment should hold records");
        var entries = manifest.Segments.Select(e => e.Id == last ? new ManifestEntry(e.Id, ManifestState.Spare, 0, 0)
            : e.Id == last - 1 ? new ManifestEntry(e.Id, ManifestState.Open, 0, 0) : e).ToList();
        File.WriteAllBytes(path, SegmentManifest.Serialize(entries));
        File.Delete(Path.Combine(dir, RecoverySnapshot.FileName));
        return last;
    }

    private async Task<(Dictionary<string, long> Versions, List<string> Notes)> OpenCopyAsync(string dir)
    {
        string copy = _temp.Sub("opened");
        SampleLog.CopyDirectory(dir, copy);
        await using var log = await WriteAheadLog.OpenAsync(SampleLog.Options(copy));
        return (StreamIds.ToDictionary(id => id, id => log.GetStreamInfo(id).Version), log.GetStatistics().Recovery.Notes.ToList());
    }

    private static Dictionary<string, long> ToolVersions(ScanReport report)
        => StreamIds.ToDictionary(id => id, id => report.Streams.TryGetValue(id, out var facts) ? facts.Entry.Version : 0);

    private static IEnumerable<uint> SegmentIds(string dir)
        => SampleLog.SegmentFiles(dir).Select(f => SegmentHeader.TryParseFileName(Path.GetFileName(f), out uint id) ? id : 0);
}

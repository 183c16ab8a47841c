using Actors.Wal.Format;
using Actors.Wal.Inspection;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Inspection;

/// <summary>
/// <see cref="LogInspector.Verify"/> chooses the files that form the log with recovery's rules (the committer
/// acknowledges records in a new segment before the manifest lists it, so recovery takes a listed spare into use after a
/// sealed segment). Each test builds the crash image the engine leaves between a rotation and the manifest write that
/// follows it (the manifest lists the previous segment as open and the new one as a spare; no snapshot was written after
/// the rotation), verifies it, then opens a copy with the engine and checks both say the same.
/// </summary>
public sealed class LogInspectorSpareAdoptionTests : LogTestBase
{
    private static readonly string[] StreamIds = [.. Enumerable.Range(0, 10).Select(a => $"account/{a}")];

    [Fact]
    public async Task Verify_SpareTakenIntoUseAfterASealedSegment_ReadsItAsRecoveryDoes()
    {
        uint spare = await CreateImageBeforeManifestCaughtUpAsync();

        var report = LogInspector.Verify(Dir.Path);
        var recovered = await OpenCopyAsync();

        Assert.Empty(report.Findings);
        Assert.Contains(report.Notes, n => n.StartsWith($"{SegmentHeader.FileName(spare)}: listed as a spare", StringComparison.Ordinal));
        Assert.Contains(report.Segments, s => s.Id == spare && s.Records > 0);
        Assert.Contains(recovered.Notes, n => n.Contains("the writer had taken this spare into use", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, Versions(report));
    }

    [Fact]
    public async Task Verify_SpareTakenIntoUseStillUnderItsSpareName_ReadsItAsRecoveryDoes()
    {
        // A power loss can undo the writer's rename (made durable only by the next manifest write's directory fsync)
        // while the records the committer synced into the file persist.
        uint spare = await CreateImageBeforeManifestCaughtUpAsync();
        string named = Dir.File(SegmentHeader.FileName(spare));
        File.Move(named, named + SegmentManager.SpareSuffix);

        var report = LogInspector.Verify(Dir.Path);
        var recovered = await OpenCopyAsync();

        Assert.Empty(report.Findings);
        Assert.Contains(report.Segments, s => s.Id == spare && s.Records > 0 && s.FileName == SegmentHeader.FileName(spare) + SegmentManager.SpareSuffix);
        Assert.Contains(recovered.Notes, n => n.Contains("the writer had taken this spare into use", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, Versions(report));
    }

    [Fact]
    public async Task Verify_SpareWrittenAfterASealThatWasLost_ReportsItsRecordsAsNeverAcknowledged()
    {
        // A power loss kept the new segment's pages but not the previous segment's seal: nothing in the spare was
        // acknowledged (the seal is synced first). Recovery discards those records; the inspector must not call the
        // unsealed predecessor corruption, nor count the spare's records.
        uint spare = await CreateImageBeforeManifestCaughtUpAsync();
        string previous = Dir.File(SegmentHeader.FileName(spare - 1));
        var seal = ValidRecords(previous)[^1];
        Assert.Equal(RecordType.Seal, seal.Type);
        ZeroBytes(previous, seal.Offset, seal.Length);

        var report = LogInspector.Verify(Dir.Path);
        var recovered = await OpenCopyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal(LogFindingKind.TornTail, finding.Kind);
        Assert.Equal(spare, finding.SegmentId);
        Assert.Equal(SegmentHeader.Size, finding.Offset);
        Assert.StartsWith("the writer had started writing into this spare", finding.Message, StringComparison.Ordinal);
        Assert.False(report.HasDamage(allowTornTail: true));
        Assert.DoesNotContain(report.Segments, s => s.Id == spare);
        Assert.Contains(recovered.Notes, n => n.Contains("nothing written there was acknowledged", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, Versions(report));
    }

    [Fact]
    public async Task Verify_UnlistedSegmentFileOfGarbage_IsNotReadAsRecoveryRemovesIt()
    {
        // A file the manifest does not list is a creation or deletion cut short: recovery removes it unread.
        await CreateCrashedLogAsync();
        uint unlisted = Dir.Segments().Select(f => SegmentHeader.TryParseFileName(Path.GetFileName(f), out uint id) ? id : 0).Max() + 5;
        File.WriteAllBytes(Dir.File(SegmentHeader.FileName(unlisted)), Enumerable.Repeat((byte)0xAB, 4096).ToArray());

        var report = LogInspector.Verify(Dir.Path);
        var recovered = await OpenCopyAsync();

        Assert.Empty(report.Findings);
        Assert.Contains(report.Notes, n => n.StartsWith($"{SegmentHeader.FileName(unlisted)}: not listed in {SegmentManifest.FileName}", StringComparison.Ordinal));
        Assert.Contains(recovered.Notes, n => n.Contains(SegmentHeader.FileName(unlisted), StringComparison.Ordinal) && n.Contains("not listed", StringComparison.Ordinal));
        Assert.Equal(recovered.Versions, Versions(report));
    }

    /// <summary>Ten streams written round by round (each write followed by the maintenance it asked for) until the log spans four segments and the last holds records; then a crash.</summary>
    private async Task CreateCrashedLogAsync()
    {
        var log = await WriteAheadLog.OpenAsync(Options(o =>
        {
            o.CompactionLiveRatio = 0;
            o.PreallocateSegments = true;
        }));
        try
        {
            var random = new Random(7);
            for (int round = 0; round < 1000 && (log.GetStatistics().SegmentCount < 4 || round % 5 != 0); round++)
            {
                foreach (string id in StreamIds)
                {
                    await log.AppendAsync(id, log.GetStreamInfo(id).Version, [new byte[random.Next(100, 600)]]);
                    await log.WhenMaintenanceIdleAsync();
                }
            }
        }
        finally
        {
            await log.AbandonAsync();
        }
    }

    /// <summary>
    /// A crashed log rewound to the moment after its last rotation, before the manifest write that lists the new segment:
    /// the manifest lists the segment before it as open and it as a spare, and no snapshot covers it.
    /// </summary>
    /// <returns>The id of the new segment (holding records, listed as a spare).</returns>
    private async Task<uint> CreateImageBeforeManifestCaughtUpAsync()
    {
        await CreateCrashedLogAsync();
        string path = Dir.File(SegmentManifest.FileName);
        var manifest = SegmentManifest.TryParse(File.ReadAllBytes(path), out string? reason, out _, out _);
        Assert.True(manifest is not null, reason);
        // The newest segment holding records, read from the files: the crash can fall between a rotation and the background
        // manifest write that lists the new segment as open, so the manifest may already list it as a spare.
        uint last = manifest.Segments
            .Where(e => File.Exists(Dir.File(SegmentHeader.FileName(e.Id))) && ValidRecords(Dir.File(SegmentHeader.FileName(e.Id))).Count > 0)
            .Max(e => e.Id);
        Assert.True(last >= 3, $"the log should span at least 3 segments, it has {last}");
        var entries = manifest.Segments.Select(e => e.Id == last ? new ManifestEntry(e.Id, ManifestState.Spare, 0, 0)
            : e.Id == last - 1 ? new ManifestEntry(e.Id, ManifestState.Open, 0, 0) : e).ToList();
        File.WriteAllBytes(path, SegmentManifest.Serialize(entries));
        File.Delete(Dir.File(RecoverySnapshot.FileName));
        return last;
    }

    private async Task<(Dictionary<string, long> Versions, List<string> Notes)> OpenCopyAsync()
    {
        using var copy = new TempDirectory();
        foreach (string file in Directory.GetFiles(Dir.Path))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        await using var log = await WriteAheadLog.OpenAsync(Options(o => o.Directory = copy.Path));
        return (StreamIds.ToDictionary(id => id, id => log.GetStreamInfo(id).Version), log.GetStatistics().Recovery.Notes.ToList());
    }

    private static Dictionary<string, long> Versions(LogVerification report)
        => StreamIds.ToDictionary(id => id, id => report.Streams.TryGetValue(id, out var stream) ? stream.Version : 0);

    private static List<(long Offset, int Length, RecordType Type)> ValidRecords(string segmentPath)
    {
        var (file, reader) = LogFiles.OpenSegment(PhysicalFileSystem.Instance, segmentPath, 64 * 1024);
        using (file)
        {
            return reader.ReadAll().Where(r => r.Damage is null).Select(r => (r.Offset, r.Header.Length, r.Header.Type)).ToList();
        }
    }

    private static void ZeroBytes(string path, long offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        stream.Write(new byte[count]);
    }
}

using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class LogFilesTests : LogTestBase
{
    [Fact]
    public async Task ListAndRead_ClosedLog_ReturnsSegmentsRecordsAndSnapshot()
    {
        await using (var log = await OpenAsync())
        {
            for (int i = 0; i < 30; i++)
            {
                await log.AppendAsync("s", i, [new byte[3000]]);
            }
        }

        var segments = LogFiles.ListSegments(PhysicalFileSystem.Instance, Dir.Path);
        Assert.True(segments.Count >= 2);
        Assert.Equal(segments.Select(s => s.Id).Order(), segments.Select(s => s.Id));

        var (file, reader) = LogFiles.OpenSegment(PhysicalFileSystem.Instance, segments[0].Path, 64 * 1024);
        using (file)
        {
            Assert.Equal(SegmentHeaderStatus.Ok, reader.ReadHeader(out var header, out _, out _));
            Assert.Equal(segments[0].Id, header.SegmentId);
            var records = reader.ReadAll().ToList();
            Assert.All(records, r => Assert.Null(r.Damage));
            Assert.Equal(RecordType.Seal, records[^1].Header.Type);
            Assert.Equal(SegmentHeader.Size, records[0].Offset);
        }

        var snapshot = LogFiles.ReadSnapshot(PhysicalFileSystem.Instance, Dir.Path, out string? reason);
        Assert.NotNull(snapshot);
        Assert.Null(reason);
        Assert.True(snapshot.Clean);
        Assert.Single(snapshot.Streams);
    }

    [Fact]
    public async Task ReadAll_DamagedRecord_ReportsDamageAndContinues()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("1"));
            await log.AppendAsync("b", 0, Events("2"));
        }

        string path = Dir.Segments()[0];
        FaultInjectingFileSystem.FlipBit(path, SegmentHeader.Size + RecordHeader.Size);
        var (file, reader) = LogFiles.OpenSegment(PhysicalFileSystem.Instance, path, 64 * 1024);
        using (file)
        {
            var records = reader.ReadAll().ToList();
            Assert.NotNull(records[0].Damage);
            Assert.Equal(SegmentHeader.Size, records[0].Offset);
            Assert.Null(records[1].Damage);
            Assert.Equal(RecordType.Events, records[1].Header.Type);
        }
    }
}

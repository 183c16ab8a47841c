using Actors.Wal;

namespace Actors.Wal.Tests.Options;

public sealed class WriteAheadLogOptionsValidatorTests
{
    private static WriteAheadLogOptions Valid() => new() { Directory = "/tmp/actors-wal-options" };

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new WriteAheadLogOptionsValidator().Validate(null, Valid());
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_MissingDirectory_FailsNamingSetting()
    {
        var options = Valid();
        options.Directory = " ";
        var result = new WriteAheadLogOptionsValidator().Validate("orders", options);
        Assert.True(result.Failed);
        Assert.Contains("[orders] Directory is required.", result.Failures!);
    }

    [Theory]
    [InlineData(1024L)]
    [InlineData(3L * 1024 * 1024 * 1024)]
    public void Validate_SegmentSizeOutOfRange_FailsNamingSetting(long size)
    {
        var options = Valid();
        options.SegmentSizeBytes = size;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("SegmentSizeBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RecordLargerThanHalfSegment_Fails()
    {
        var options = Valid();
        options.SegmentSizeBytes = 1024 * 1024;
        options.MaxRecordSizeBytes = 600 * 1024;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("MaxRecordSizeBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveSyncInterval_Fails()
    {
        var options = Valid();
        options.SyncInterval = TimeSpan.Zero;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("SyncInterval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SyncPolicy.Always)]
    [InlineData(SyncPolicy.Interval)]
    public void Validate_CommitOnCallingThreadWithASyncingPolicy_FailsNamingBothSettings(SyncPolicy policy)
    {
        var options = Valid();
        options.SyncPolicy = policy;
        options.CommitOnCallingThread = true;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("CommitOnCallingThread needs SyncPolicy None", StringComparison.Ordinal) && f.Contains(policy.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CommitOnCallingThreadWithSyncPolicyNone_Succeeds()
    {
        var options = Valid();
        options.SyncPolicy = SyncPolicy.None;
        options.CommitOnCallingThread = true;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ThrowIfInvalid_BadCompactionRatio_ThrowsOptionsValidationException()
    {
        var options = Valid();
        options.CompactionLiveRatio = 1.5;
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => WriteAheadLogOptionsValidator.ThrowIfInvalid(options));
        Assert.Contains("CompactionLiveRatio", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_ConsolidateAfterRecordsOutOfRange_NamesTheSetting(int records)
    {
        var options = Valid();
        options.ConsolidateAfterRecords = records;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("ConsolidateAfterRecords", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(65534)]
    public void Validate_ConsolidateAfterRecordsOffOrInRange_Succeeds(int records)
    {
        var options = Valid();
        options.ConsolidateAfterRecords = records;
        Assert.True(new WriteAheadLogOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_ConsolidationMaxBytesBelowOnePage_NamesTheSetting()
    {
        var options = Valid();
        options.ConsolidationMaxBytes = 4095;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("ConsolidationMaxBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NegativeMaxSparseCopySegments_NamesTheSetting()
    {
        var options = Valid();
        options.MaxSparseCopySegments = -1;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("MaxSparseCopySegments", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void Validate_MaxSparseCopySegmentsZeroOrMore_Succeeds(int segments)
    {
        var options = Valid();
        options.MaxSparseCopySegments = segments;
        Assert.True(new WriteAheadLogOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_NegativeSnapshotDeltaMinStreams_NamesTheSetting()
    {
        var options = Valid();
        options.SnapshotDeltaMinStreams = -1;
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("SnapshotDeltaMinStreams", StringComparison.Ordinal));
    }
}

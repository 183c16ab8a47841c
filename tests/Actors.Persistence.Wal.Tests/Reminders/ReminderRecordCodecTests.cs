using Actors.Persistence.Wal.Reminders;
using Actors.Reminders;
using Actors.Runtime;

namespace Actors.Persistence.Wal.Tests.Reminders;

public sealed class ReminderRecordCodecTests
{
    private static readonly GrainId Grain = GrainId.Create("clock", "büro/1");
    private static readonly DateTime Start = new(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Fact]
    public void Apply_UpsertTickRemove_RoundTripThroughTheirEncodings()
    {
        var rows = new Dictionary<(GrainId, string), ReminderEntry>();

        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeUpsert(Grain, "täglich", Start, TimeSpan.FromHours(24)), 7, "reminders:3", rows);
        Assert.Equal(new ReminderEntry(Grain, "täglich", Start, TimeSpan.FromHours(24), "7", null), rows[(Grain, "täglich")]);

        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeTick(Grain, "täglich", "7", Start.AddDays(2)), 8, "reminders:3", rows);
        Assert.Equal(Start.AddDays(2), rows[(Grain, "täglich")].LastTickTime);

        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeRemove(Grain, "täglich", "7"), 9, "reminders:3", rows);
        Assert.Empty(rows);
    }

    [Fact]
    public void Apply_TickOrRemoveOfAnotherRegistration_LeavesTheRowAlone()
    {
        var rows = new Dictionary<(GrainId, string), ReminderEntry>();
        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeUpsert(Grain, "r", Start, TimeSpan.FromMinutes(1)), 12, "s", rows);

        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeTick(Grain, "r", "11", Start), 13, "s", rows);
        ReminderRecordCodec.Apply(ReminderRecordCodec.EncodeRemove(Grain, "r", "11"), 14, "s", rows);

        Assert.Equal(new ReminderEntry(Grain, "r", Start, TimeSpan.FromMinutes(1), "12", null), rows[(Grain, "r")]);
    }

    [Fact]
    public void ReadCheckpoint_EncodedRows_ReturnsTheSameRows()
    {
        ReminderEntry[] rows =
        [
            new(Grain, "a", Start, TimeSpan.FromMinutes(5), "3", Start.AddMinutes(10)),
            new(GrainId.Create("other", "x"), "b", Start.AddYears(1), TimeSpan.FromDays(7), "41", null),
        ];
        var decoded = new Dictionary<(GrainId, string), ReminderEntry>();

        ReminderRecordCodec.ReadCheckpoint(ReminderRecordCodec.EncodeCheckpoint(rows), 41, "reminders:0", decoded);

        Assert.Equal(rows.OrderBy(r => r.ReminderName), decoded.Values.OrderBy(r => r.ReminderName));
    }

    [Fact]
    public void ReadMeta_Encoded_ReturnsThePartitionCount()
        => Assert.Equal(4096, ReminderRecordCodec.ReadMeta(ReminderRecordCodec.EncodeMeta(4096), 1, WriteAheadLogReminderTable.MetaStreamId));

    [Theory]
    [InlineData("version", "format version 9")]
    [InlineData("kind", "unknown record kind 77")]
    [InlineData("truncated", "truncated")]
    [InlineData("trailing", "unexpected bytes")]
    [InlineData("grain", "is not a grain id")]
    public void Apply_DamagedPayload_ThrowsReminderExceptionNamingStreamVersionAndReason(string damage, string reason)
    {
        byte[] payload = ReminderRecordCodec.EncodeUpsert(Grain, "r", Start, TimeSpan.FromMinutes(1));
        payload = damage switch
        {
            "version" => [9, .. payload[1..]],
            "kind" => [payload[0], 77, .. payload[2..]],
            "truncated" => payload[..^3],
            "trailing" => [.. payload, 0],
            _ => ReminderRecordCodec.EncodeUpsert(new GrainId("noslash", string.Empty), "r", Start, TimeSpan.FromMinutes(1)),
        };
        var rows = new Dictionary<(GrainId, string), ReminderEntry>();

        ReminderException error = Assert.Throws<ReminderException>(() => ReminderRecordCodec.Apply(payload, 5, "reminders:9", rows));

        Assert.Contains("version 5 of stream 'reminders:9'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(rows);
    }
}

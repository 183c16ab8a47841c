namespace Actors.Testing.PowerCut;

/// <summary>
/// Where in its files the engine under test keeps records, as <see cref="FaultInjectingFileSystem"/> needs it: its torn
/// write (<see cref="FaultInjectingFileSystem.TearNextWriteAfter"/>) and segment read gates apply to segments' record areas,
/// its zero-fill gate (<see cref="FaultInjectingFileSystem.ZeroFillGate"/>) to spare segments' zero-filled areas.
/// </summary>
/// <param name="IsSegmentRecordArea">True when an offset of a file lies in a live segment's record area.</param>
/// <param name="IsSpareRecordArea">True when an offset of a file lies in a spare segment's zero-filled area.</param>
public sealed record FaultInjectionLayout(Func<string, long, bool> IsSegmentRecordArea, Func<string, long, bool> IsSpareRecordArea)
{
    /// <summary>No segment or spare areas (the entry logs): the torn write and the gates never apply.</summary>
    public static FaultInjectionLayout None { get; } = new(static (_, _) => false, static (_, _) => false);
}

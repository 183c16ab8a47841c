namespace Actors.Wal;

/// <summary>What a <see cref="LogChange"/> records.</summary>
public enum LogChangeKind
{
    /// <summary>An appended event: <see cref="LogChange.Version"/> is its version, <see cref="LogChange.Payload"/> its bytes.</summary>
    Event = 1,

    /// <summary>A checkpoint: <see cref="LogChange.Version"/> is the version it covers, <see cref="LogChange.Payload"/> the snapshot.</summary>
    Checkpoint = 2,

    /// <summary>A deletion (tombstone): <see cref="LogChange.Version"/> is the stream's version when deleted; no payload.</summary>
    Tombstone = 3,
}

namespace Actors.Persistence.Wal;

/// <summary>How a write-ahead-log store compresses the payloads of the grain records it writes (<see cref="WriteAheadLogStoreOptions.Compression"/>).</summary>
/// <remarks>Reading never depends on the setting: every record says whether it is compressed, so a store can change it at any time.</remarks>
public enum RecordCompression
{
    /// <summary>Payloads are stored as the codec wrote them (the default).</summary>
    None = 0,

    /// <summary>Each event or state record's payload is Brotli-compressed when that makes it smaller (format version 2 records).</summary>
    Brotli = 1,
}

namespace Actors.Orleans;

/// <summary>Whether the providers compress what they write (<see cref="SiloLogOptions.Compression"/>).</summary>
/// <remarks>Reading never depends on the setting: every record says whether it is compressed.</remarks>
public enum RecordCompression
{
    /// <summary>Values are stored as the codec wrote them.</summary>
    None = 0,

    /// <summary>Each value is Brotli-compressed when that makes it smaller.</summary>
    Brotli = 1,
}

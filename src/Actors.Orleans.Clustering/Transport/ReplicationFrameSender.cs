using System.Text;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// The sender's fields of every frame one silo sends (its ClusterId and silo address), encoded and checked once
/// (<see cref="ReplicationFrameCodec.Encode(ReplicationFrameSender, int, int, int, Actors.Replication.Messages.ReplicationMessage)"/>).
/// </summary>
/// <remarks>Immutable and thread-safe: its arrays are never written after construction.</remarks>
internal sealed class ReplicationFrameSender
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the sender's fields.</summary>
    /// <exception cref="ArgumentException">The ClusterId or the silo address is empty or too long for a frame.</exception>
    public ReplicationFrameSender(string clusterId, SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        ArgumentNullException.ThrowIfNull(silo);
        ClusterIdBytes = StrictUtf8.GetBytes(clusterId);
        SiloBytes = StrictUtf8.GetBytes(silo.ToParsableString());
        if (ClusterIdBytes.Length is 0 or > ReplicationFrameCodec.MaxClusterIdBytes)
        {
            throw new ArgumentException($"The ClusterId takes {ClusterIdBytes.Length} UTF-8 bytes; a frame carries 1 to {ReplicationFrameCodec.MaxClusterIdBytes}.", nameof(clusterId));
        }

        if (SiloBytes.Length is 0 or > ReplicationFrameCodec.MaxSiloBytes)
        {
            throw new ArgumentException($"The silo address '{silo}' takes {SiloBytes.Length} UTF-8 bytes; a frame carries 1 to {ReplicationFrameCodec.MaxSiloBytes}.", nameof(silo));
        }

        Silo = silo;
    }

    /// <summary>The silo the frames come from.</summary>
    public SiloAddress Silo { get; }

    /// <summary>The ClusterId's UTF-8 bytes.</summary>
    public byte[] ClusterIdBytes { get; }

    /// <summary><see cref="SiloAddress.ToParsableString"/> of <see cref="Silo"/>, UTF-8.</summary>
    public byte[] SiloBytes { get; }
}
